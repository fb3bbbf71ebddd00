package ai.emadaptive.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/** What a benchmark ran on, recorded beside its numbers. */
public final class MachineInfo {
    private MachineInfo() {}

    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryGiB", Math.round(totalMemoryKib() / 1024.0 / 1024.0));
        m.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("nd4jBackend", Nd4j.getBackend().getClass().getSimpleName());
        Object blas = Nd4j.getExecutioner().getEnvironmentInformation().get("blas.vendor");
        m.put("blas", blas == null ? "unknown" : blas.toString());
        m.put("ompThreads", Nd4j.getEnvironment().maxThreads());
        // how idle OpenMP threads wait (read by libgomp once, at start): it decides the engine's slowdown beside other
        // work
        String wait = System.getenv("OMP_WAIT_POLICY");
        m.put("ompWaitPolicy", wait == null ? "libgomp default (spin, then sleep)" : wait);
        m.put("simd", isaFlags());
        return m;
    }

    private static String isaFlags() {
        try {
            String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .orElse("");
            return flags.contains(" avx512f")
                    ? "AVX-512"
                    : flags.contains(" avx2") ? "AVX2" : flags.contains(" avx") ? "AVX" : "SSE";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long totalMemoryKib() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst()
                    .orElse(0L);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
