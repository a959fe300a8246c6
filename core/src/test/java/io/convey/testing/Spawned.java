package io.convey.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A peer program run for a test (HAProxy, openssl s_server): output kept in a file, stopped on close. */
public final class Spawned implements AutoCloseable {
    private final Process process;
    private final Path output;
    private final String name;

    private Spawned(Process process, Path output, String name) {
        this.process = process;
        this.output = output;
        this.name = name;
    }

    /** Starts {@code command} in {@code dir}; stdout and stderr go to {@code dir/<name>.log}. */
    public static Spawned start(Path dir, String name, List<String> command) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new Spawned(p, log, name);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** What the program printed so far. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + name + " output unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
