package io.convey.accesslog;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * Lowers the calling thread's priority. Linux keeps a nice value per thread ({@code setpriority(PRIO_PROCESS, gettid(),
 * nice)}); the JDK's {@link Thread#setPriority} does not reach the kernel on Linux (HotSpot ignores thread priorities
 * there unless {@code -XX:ThreadPriorityPolicy=1} as root), hence libc's {@code gettid} and {@code setpriority}
 * through the foreign-function API. Raising one's own nice value needs no privilege.
 */
final class ThreadNice {
    private static final int PRIO_PROCESS = 0;
    private static final int MAX_NICE = 19;
    private static final Linker LINKER = Linker.nativeLinker();

    private ThreadNice() {}

    /**
     * Raises the calling thread's nice value by {@code by} over its present one (so a daemon started niced stays
     * below itself), up to 19; null if set, else why not (not Linux, no libc call, refused).
     */
    static String lower(int by) {
        try {
            MethodHandle gettid = LINKER.downcallHandle(LINKER.defaultLookup().find("gettid").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT));
            MethodHandle getpriority = LINKER.downcallHandle(LINKER.defaultLookup().find("getpriority").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            MethodHandle setpriority = LINKER.downcallHandle(LINKER.defaultLookup().find("setpriority").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
            int tid = (int) gettid.invokeExact();
            int now = (int) getpriority.invokeExact(PRIO_PROCESS, tid); // glibc returns the nice value, -20 to 19
            int rc = (int) setpriority.invokeExact(PRIO_PROCESS, tid, Math.min(MAX_NICE, now + by));
            return rc == 0 ? null : "setpriority returned " + rc;
        } catch (Throwable t) { // no such symbol (not Linux), native access denied: the thread keeps its priority
            return t.toString();
        }
    }
}
