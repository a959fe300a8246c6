package io.convey.proxy;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Reads and sets this process's soft open-file limit (RLIMIT_NOFILE) through getrlimit/setrlimit. */
final class FileLimit {
    private static final int RLIMIT_NOFILE = 7;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor SIGNATURE = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle GET = LINKER.downcallHandle(LINKER.defaultLookup().find("getrlimit").orElseThrow(), SIGNATURE);
    private static final MethodHandle SET = LINKER.downcallHandle(LINKER.defaultLookup().find("setrlimit").orElseThrow(), SIGNATURE);

    private FileLimit() {}

    static long soft() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limits = arena.allocate(JAVA_LONG, 2);
            check((int) GET.invokeExact(RLIMIT_NOFILE, limits));
            return limits.getAtIndex(JAVA_LONG, 0);
        }
    }

    static void setSoft(long soft) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limits = arena.allocate(JAVA_LONG, 2);
            check((int) GET.invokeExact(RLIMIT_NOFILE, limits));
            limits.setAtIndex(JAVA_LONG, 0, soft);
            check((int) SET.invokeExact(RLIMIT_NOFILE, limits));
        }
    }

    /**
     * The lowest descriptor number free in this process. The limit caps descriptor numbers, not their count,
     * so a soft limit of this value makes the next open fail with EMFILE. The directory stream that lists
     * the descriptors takes exactly that number while it is open.
     */
    static int lowestFree() throws IOException {
        Path self = Path.of("/proc/self/fd").toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> isLink(fd, self))
                    .mapToInt(fd -> Integer.parseInt(fd.getFileName().toString()))
                    .findFirst().orElseThrow();
        }
    }

    private static boolean isLink(Path fd, Path target) {
        try {
            return Files.readSymbolicLink(fd).equals(target);
        } catch (IOException e) {
            return false;
        }
    }

    private static void check(int result) {
        if (result != 0) {
            throw new IllegalStateException("rlimit call: " + result + " (expected: 0)");
        }
    }
}
