package io.convey.announce;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads BIRD's protocol table through its control socket, the line protocol {@code birdc} speaks: each reply line
 * starts with a 4-digit code, followed by {@code '-'} when more lines follow or {@code ' '} on the last one, and a
 * line starting with a space continues the previous code. Code 0001 greets, 2002 heads the table, 1002 is one
 * protocol, 0000 ends a successful reply; codes 8000-9999 are errors.
 */
final class BirdControl {
    private final Path socket;

    BirdControl(Path socket) {
        this.socket = socket;
    }

    /** One row of {@code show protocols}. */
    record Protocol(String name, String proto, String state, String since, String info) {}

    /** The BGP sessions as {@code birdc show protocols} lists them. Blocking; call off request threads. */
    List<Protocol> bgpSessions() throws IOException {
        List<Protocol> out = new ArrayList<>();
        for (Protocol p : protocols()) {
            if (p.proto().equals("BGP")) {
                out.add(p);
            }
        }
        return out;
    }

    List<Protocol> protocols() throws IOException {
        List<Protocol> rows = new ArrayList<>();
        String code = "";
        for (String line : command("show protocols")) {
            if (!line.startsWith(" ") && line.length() >= 5) {
                code = line.substring(0, 4);
            }
            // "1002-device1 ..." then " peer_a BGP ...": further rows of one code start with a space.
            if (code.equals("1002")) {
                rows.add(parse(line.startsWith(" ") ? line.substring(1) : line.substring(5)));
            }
        }
        return rows;
    }

    /** Name, protocol, table, state, since (date and time, or time), then free text. */
    static Protocol parse(String row) {
        String[] f = row.strip().split("\\s+", 6);
        String name = f.length > 0 ? f[0] : "";
        String proto = f.length > 1 ? f[1] : "";
        String state = f.length > 3 ? f[3] : "";
        String since = f.length > 4 ? f[4] : "";
        String rest = f.length > 5 ? f[5] : "";
        // "since" is "12:00:01.123" or "2026-12-04 12:00:01"; the info follows it.
        if (since.matches("\\d{4}-\\d{2}-\\d{2}") && !rest.isEmpty()) {
            String[] timeAndInfo = rest.split("\\s+", 2);
            since = since + " " + timeAndInfo[0];
            rest = timeAndInfo.length > 1 ? timeAndInfo[1] : "";
        }
        return new Protocol(name, proto, state, since, rest.strip());
    }

    /** Sends one command and returns the reply's lines (greeting excluded); throws on an error reply. */
    List<String> command(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            Reader reader = new Reader(channel);
            String greeting = reader.line();
            if (greeting == null || !greeting.startsWith("0001")) {
                throw new IOException("BIRD control socket " + socket + ": unexpected greeting " + greeting);
            }
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = reader.line()) != null) {
                lines.add(line);
                boolean coded = line.length() >= 5 && line.substring(0, 4).chars().allMatch(Character::isDigit);
                if (coded && line.charAt(4) == ' ') {
                    int code = Integer.parseInt(line.substring(0, 4));
                    if (code >= 8000) {
                        throw new IOException("BIRD refused \"" + command + "\": " + line.substring(5));
                    }
                    return lines;
                }
            }
            throw new IOException("BIRD control socket " + socket + " closed before the reply ended");
        }
    }

    /** Lines from a blocking channel, without a second buffering layer over the socket. */
    private static final class Reader {
        private final SocketChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(8192);
        private final StringBuilder pending = new StringBuilder();

        Reader(SocketChannel channel) {
            this.channel = channel;
            buffer.flip();
        }

        String line() throws IOException {
            while (true) {
                int nl = pending.indexOf("\n");
                if (nl >= 0) {
                    String line = pending.substring(0, nl);
                    pending.delete(0, nl + 1);
                    return line;
                }
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    return null;
                }
                buffer.flip();
                pending.append(StandardCharsets.UTF_8.decode(buffer));
            }
        }
    }
}
