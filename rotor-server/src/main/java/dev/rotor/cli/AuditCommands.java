package dev.rotor.cli;

import dev.rotor.audit.AuditEvent;
import java.util.List;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "The audit log.", subcommands = {AuditCommands.Tail.class})
final class AuditCommands {

    @Command(name = "tail", description = "Print the newest audit events; --follow keeps printing new ones.")
    static final class Tail extends RotorCommand.OnDatabase {
        @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20")
        int lines;
        @Option(names = "--follow", description = "keep printing events as they are written (Ctrl-C stops)")
        boolean follow;

        @Override
        int run(Services rotor, Terminal out) throws InterruptedException {
            long last = print(out, rotor.audit().tail(Math.max(1, Math.min(lines, 10_000))), 0);
            while (follow) {
                Thread.sleep(1000);
                last = print(out, rotor.audit().after(last, 1000), last);
            }
            return 0;
        }

        private static long print(Terminal out, List<AuditEvent> events, long last) {
            for (AuditEvent e : events) {
                out.line("%s  %s  %-30s  user=%s  session=%s  client=%s  ip=%s  %s", e.id(), e.at(), e.type(), e.userId(), e.sessionId(),
                        e.clientId(), e.request().ip(), new TreeMap<>(e.detail()));
                last = e.id();
            }
            return last;
        }
    }
}
