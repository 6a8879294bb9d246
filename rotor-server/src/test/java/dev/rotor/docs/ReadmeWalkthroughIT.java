package dev.rotor.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walkthrough, run as written: every {@code sh} block from "Sixty seconds with curl" up to
 * "Documentation", in order, in a fresh directory where {@code ./rotor} is this build. The block that starts the
 * server runs in the background as written; the others run as one bash script with {@code set -euo pipefail}, so a
 * command that fails (curl {@code -f}, {@code jq -e}) fails the test. The one change made to the text: the port,
 * {@code localhost:8080}, becomes a free one.
 */
class ReadmeWalkthroughIT {
    private static final Pattern BLOCK = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    @Test
    void theWalkthroughRunsTopToBottomAsWritten() throws Exception {
        List<String> blocks = blocks(Files.readString(readme()));
        List<String> serverBlocks = blocks.stream().filter(b -> b.contains("./rotor serve")).toList();
        assertThat(serverBlocks).as("one block starts the server").hasSize(1);
        assertThat(serverBlocks.getFirst().strip().lines().count()).isEqualTo(1);
        int port = freePort();
        writeLauncher();

        ProcessBuilder pb = new ProcessBuilder("bash", "-c", serverBlocks.getFirst().strip()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
        clean(pb);
        pb.environment().put("ROTOR_PORT", Integer.toString(port));
        server = pb.start();
        awaitReady(port);

        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (String b : blocks) if (!serverBlocks.contains(b)) script.append(b.replace("localhost:8080", "localhost:" + port)).append('\n');
        Files.writeString(dir.resolve("walkthrough.sh"), script);
        ProcessBuilder run = new ProcessBuilder("bash", "walkthrough.sh").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("walkthrough.log").toFile());
        clean(run);
        Process p = run.start();
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        String out = Files.readString(dir.resolve("walkthrough.log"));
        assertThat(finished).as("the walkthrough finished; its output:\n%s", out).isTrue();
        assertThat(p.exitValue()).as("exit status of the walkthrough; its output:\n%s\nserver log:\n%s", out,
                Files.readString(dir.resolve("server.log"))).isZero();

        // What the walkthrough says happens, happened.
        assertThat(out).as("reuse of R1 is refused").contains("\"error\":\"invalid_grant\"");
        assertThat(out).as("the cookie flow lists one live session").containsPattern("(?m)^1$");
        assertThat(out).as("discovery names the authorization endpoint")
                .contains("http://localhost:" + port + "/oauth2/authorize");
        assertThat(out).as("the redirect carries the code, the state and iss")
                .containsPattern("http://127\\.0\\.0\\.1:3000/callback\\?code=[^&\\s]+&state=af0ifjsldkj&iss=http%3A%2F%2Flocalhost%3A" + port);
        assertThat(out).as("the ID token's claims").contains("\"aud\": \"app\"").contains("\"sid\"");
        assertThat(out).as("userinfo answers for alice").contains("\"sub\"");
    }

    /** The fenced {@code sh} blocks of the walkthrough's sections, in order. */
    static List<String> blocks(String readme) {
        int start = readme.indexOf("## Sixty seconds with curl");
        int end = readme.indexOf("## Documentation");
        assertThat(start).as("the README has the walkthrough").isNotNegative();
        assertThat(end).isGreaterThan(start);
        List<String> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme.substring(start, end));
        while (m.find()) blocks.add(m.group(1));
        return blocks;
    }

    private static Path readme() {
        Path here = Path.of("").toAbsolutePath();
        Path readme = here.resolve("README.md");
        return Files.exists(readme.resolveSibling("rotor-server")) ? readme : here.getParent().resolve("README.md");
    }

    /** {@code ./rotor} in the test's directory: this build's classes, as the launcher runs them. */
    private void writeLauncher() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path launcher = dir.resolve("rotor");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + java + "' --enable-native-access=ALL-UNNAMED -Djdk.console=java.base "
                + "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + System.getProperty("java.class.path") + "' dev.rotor.app.Main \"$@\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A fresh machine: no ROTOR_ settings from the environment the tests run in. */
    private static void clean(ProcessBuilder pb) {
        pb.environment().keySet().removeIf(k -> k.startsWith("ROTOR_"));
    }

    private void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as("server running; log:\n%s", Files.readString(dir.resolve("server.log"))).isTrue();
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("server not ready; log:\n" + Files.readString(dir.resolve("server.log")));
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
