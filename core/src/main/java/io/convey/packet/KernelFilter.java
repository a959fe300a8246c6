package io.convey.packet;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Compiles a capture filter expression with libpcap ({@code pcap_compile} on a dead Ethernet handle, so the
 * program is the one a pcap capture would run) and attaches it to a packet socket with {@code SO_ATTACH_FILTER}, as
 * libpcap does for its own sockets: the kernel runs it before a frame reaches the ring. Called through the FFM API
 * because pcap4j does not hand out a compiled program's instructions.
 */
final class KernelFilter {
    private static final int DLT_EN10MB = 1;
    private static final int SNAPLEN = 262_144;
    private static final int NETMASK_UNKNOWN = 0xFFFF_FFFF;
    /** struct bpf_program and struct sock_fprog: a count, padding, an instruction pointer (64-bit ABI). */
    private static final long PROGRAM_BYTES = 16;
    private static final Libpcap PCAP = Libpcap.load();

    private KernelFilter() {}

    /** Compiles {@code expression} and attaches it to {@code fd}, replacing any filter there. */
    static void attach(int fd, String expression, MemorySegment callState) throws IOException {
        PCAP.require();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment program = arena.allocate(PROGRAM_BYTES, 8);
            MemorySegment pcap;
            synchronized (KernelFilter.class) { // pcap_compile of libpcap before 1.8 was not thread-safe
                pcap = (MemorySegment) PCAP.openDead.invokeExact(DLT_EN10MB, SNAPLEN);
                if (pcap.equals(MemorySegment.NULL)) {
                    throw new IOException("filter: pcap_open_dead failed");
                }
                try {
                    int rc = (int) PCAP.compile.invokeExact(pcap, program, arena.allocateFrom(expression), 1,
                            NETMASK_UNKNOWN);
                    if (rc != 0) {
                        MemorySegment error = (MemorySegment) PCAP.geterr.invokeExact(pcap);
                        throw new IOException("filter: " + expression + " (" + error.reinterpret(512).getString(0) + ")");
                    }
                } finally {
                    PCAP.close.invokeExact(pcap);
                }
            }
            try {
                MemorySegment fprog = arena.allocate(PROGRAM_BYTES, 8);
                fprog.set(JAVA_SHORT, 0, (short) program.get(JAVA_INT, 0));
                fprog.set(ADDRESS, 8, program.get(ADDRESS, 8));
                int rc = (int) Libc.SETSOCKOPT.invokeExact(callState, fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_FILTER,
                        fprog, (int) PROGRAM_BYTES);
                if (rc != 0) {
                    throw new IOException("filter: SO_ATTACH_FILTER failed, errno " + Libc.errno(callState));
                }
            } finally {
                PCAP.freecode.invokeExact(program);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("filter: " + t, t);
        }
    }

    /** The libpcap functions used, or why libpcap could not be loaded. */
    private record Libpcap(MethodHandle openDead, MethodHandle compile, MethodHandle geterr, MethodHandle freecode,
                           MethodHandle close, String problem) {

        /** Debian ships libpcap.so.0.8 (libpcap.so only with -dev); other systems name it .so.1. */
        private static final List<String> NAMES = List.of("libpcap.so.0.8", "libpcap.so.1", "libpcap.so");

        static Libpcap load() {
            Linker linker = Linker.nativeLinker();
            for (String name : NAMES) {
                SymbolLookup lookup;
                try {
                    lookup = SymbolLookup.libraryLookup(name, Arena.global());
                } catch (IllegalArgumentException notFound) {
                    continue;
                }
                return new Libpcap(
                        handle(linker, lookup, "pcap_open_dead", FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT)),
                        handle(linker, lookup, "pcap_compile",
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT)),
                        handle(linker, lookup, "pcap_geterr", FunctionDescriptor.of(ADDRESS, ADDRESS)),
                        handle(linker, lookup, "pcap_freecode", FunctionDescriptor.ofVoid(ADDRESS)),
                        handle(linker, lookup, "pcap_close", FunctionDescriptor.ofVoid(ADDRESS)),
                        null);
            }
            return new Libpcap(null, null, null, null, null, "libpcap: not found as " + NAMES
                    + " (expected: the libpcap0.8 package)");
        }

        void require() throws IOException {
            if (problem != null) {
                throw new IOException(problem);
            }
        }

        private static MethodHandle handle(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor d) {
            return linker.downcallHandle(lookup.find(name)
                    .orElseThrow(() -> new IllegalStateException("libpcap symbol: " + name + " (expected: present)")), d);
        }
    }
}
