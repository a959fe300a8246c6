package io.convey.packet;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Creates and deletes network namespaces the tests own, runs commands in them, and moves a thread into one with
 * setns(2): sockets and capture handles a thread opens then belong to that namespace (a network namespace is
 * per thread on Linux).
 */
public final class NetNamespaces implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETNS = LINKER.downcallHandle(LINKER.defaultLookup().find("setns").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final String prefix = "cvy-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    private final List<String> created = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /** Creates a namespace named {@code cvy-<random>-<role>} with loopback up. */
    public String create(String role) throws IOException {
        String name = prefix + "-" + role;
        run("ip", "netns", "add", name);
        created.add(name);
        exec(name, "ip", "link", "set", "lo", "up");
        return name;
    }

    /** Runs a command inside a namespace and fails on a non-zero exit. */
    public String exec(String ns, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(command));
        return run(full.toArray(String[]::new));
    }

    public static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Moves the calling thread into a namespace, for good. */
    public static void enter(String ns) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom("/var/run/netns/" + ns), 0);
            if (fd < 0) {
                throw new IllegalStateException("open netns: " + ns);
            }
            int rc = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
            int ignored = (int) CLOSE.invokeExact(fd);
            if (rc != 0) {
                throw new IllegalStateException("setns: " + ns);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Runs a task on a fresh thread inside a namespace and returns its result. */
    public static <T> T callIn(String ns, Callable<T> task) throws Exception {
        Object[] result = new Object[1];
        Exception[] failure = new Exception[1];
        Thread t = Thread.ofPlatform().start(() -> {
            enter(ns);
            try {
                result[0] = task.call();
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** A thread factory whose threads live in a namespace. */
    public static ThreadFactory threadsIn(String ns) {
        return r -> Thread.ofPlatform().daemon().unstarted(() -> {
            enter(ns);
            r.run();
        });
    }

    /** Starts a long-running command inside a namespace, output appended to {@code log}; killed at {@link #close()}. */
    public Process spawn(String ns, java.nio.file.Path log, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.add(p);
        return p;
    }

    /** Kills what was spawned, then deletes every namespace created (their veths and bridges go with them). */
    @Override
    public void close() {
        for (Process p : processes.reversed()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        for (String ns : created.reversed()) {
            try {
                run("ip", "netns", "delete", ns);
            } catch (IOException e) {
                System.err.println("could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
        created.clear();
    }
}
