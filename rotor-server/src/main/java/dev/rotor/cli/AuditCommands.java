package dev.rotor.cli;

import dev.rotor.audit.AuditEvent;
import java.util.List;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "audit", description = "The audit log.", subcommands = {AuditCommands.Tail.class})
final class AuditCommands {

    @Command(name = "tail", description = "Print the newest audit events; --follow keeps printing new ones.")
    static final class Tail extends RotorCommand.OnDatabase {
        @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20", description = "how many of the newest events (0-10000)")
        int lines;
        @Option(names = "--follow", description = "keep printing events as they are written (Ctrl-C stops)")
        boolean follow;

        @Override
        int run(Services rotor, Terminal out) throws InterruptedException {
            if (lines < 0 || lines > 10_000) throw new ParameterException(spec.commandLine(), "-n must be 0 to 10000, not " + lines);
            Usernames usernames = new Usernames(rotor.users());
            long last;
            if (lines == 0) {
                // Nothing printed; --follow starts after the newest event.
                last = rotor.audit().tail(1).stream().mapToLong(AuditEvent::id).max().orElse(0);
            } else {
                last = print(out, usernames, rotor.audit().tail(lines), 0);
            }
            while (follow) {
                Thread.sleep(1000);
                last = print(out, usernames, rotor.audit().after(last, 1000), last);
            }
            return 0;
        }

        private static long print(Terminal out, Usernames usernames, List<AuditEvent> events, long last) {
            for (AuditEvent e : events) {
                out.line("%s  %s  %-30s  user=%s (%s)  session=%s  client=%s  ip=%s  %s", e.id(), e.at(), e.type(), e.userId(),
                        usernames.of(e.userId()), e.sessionId(), e.clientId(), e.request().ip(), new TreeMap<>(e.detail()));
                last = e.id();
            }
            return last;
        }
    }
}
