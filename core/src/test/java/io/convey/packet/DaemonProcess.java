package io.convey.packet;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The real daemon ({@code io.convey.Main}) as a child process inside a network namespace. */
final class DaemonProcess implements AutoCloseable {
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private DaemonProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                r.lines().forEach(output::add);
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    /** Starts {@code convey <args> --config=<dir>/convey.toml} in {@code namespace}; waits until the config is applied. */
    static DaemonProcess start(String namespace, Path dir, String toml, String... args) throws IOException {
        DaemonProcess daemon = launch(namespace, dir, toml, args);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> daemon.printed("config applied version=1")
                    || !daemon.process.isAlive());
            if (!daemon.printed("config applied version=1")) {
                throw new AssertionError("daemon did not start: " + daemon.output);
            }
            return daemon;
        } catch (RuntimeException | AssertionError e) {
            daemon.close();
            throw e;
        }
    }

    /** Starts {@code convey <args> --config=<dir>/convey.toml} in {@code namespace} without waiting for anything. */
    static DaemonProcess launch(String namespace, Path dir, String toml, String... args) throws IOException {
        Path config = dir.resolve("convey.toml");
        Files.writeString(config, toml, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.convey.Main"));
        command.addAll(List.of(args));
        command.add("--config=" + config);
        return new DaemonProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits for the process to end by itself (a refused config) and returns its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("daemon still running: " + output);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !output.isEmpty()); // the reader has the last lines
        return process.exitValue();
    }

    boolean printed(String text) {
        return output.stream().anyMatch(l -> l.contains(text));
    }

    List<String> output() {
        return List.copyOf(output);
    }

    /** Stops it with SIGTERM (its normal shutdown path) and returns the exit status. */
    int stop() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("daemon did not stop within 20 s: " + output);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
