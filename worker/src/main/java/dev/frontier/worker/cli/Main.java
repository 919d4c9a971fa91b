package dev.frontier.worker.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the worker jar. Sub-commands are looked up by name so each feature ships its own
 * command class ({@code dev.frontier.worker.cli.<Name>Command} implementing {@link Command}).
 */
public final class Main {
    static final Map<String, String> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("train", "Train a zoo model on a dataset (baseline)");
        COMMANDS.put("compress", "Prune/quantize a model by a config, fine-tune with masks, report");
        COMMANDS.put("compile", "Compile a model into a deployable Frontier artifact");
        COMMANDS.put("eval", "Accuracy of a compiled artifact on a dataset");
        COMMANDS.put("bench", "Latency of dense and compressed variants against PyTorch (batch 1)");
        COMMANDS.put("recovery", "Measure accuracy recovery (BN recalibration, distillation, inheritance) per fidelity");
        COMMANDS.put("agent", "Run a worker agent against a coordinator");
        COMMANDS.put("demo", "Submit the demo search to a coordinator and print the frontier");
    }

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage();
            return args.length == 0 ? 2 : 0;
        }
        String name = args[0];
        if (!COMMANDS.containsKey(name)) {
            System.err.println("error: unknown command '" + name + "'");
            usage();
            return 2;
        }
        Command command;
        try {
            String cls = Main.class.getPackageName() + "." + Character.toUpperCase(name.charAt(0)) + name.substring(1)
                    + "Command";
            command = (Command) Class.forName(cls).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            System.err.println("error: command '" + name + "' is not available in this build");
            return 2;
        }
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        try {
            Args parsed = Args.parse(rest);
            if (parsed.flag("help")) {
                System.out.println(command.help());
                return 0;
            }
            return command.run(parsed);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("run 'frontier-worker " + name + " --help' for usage");
            return 2;
        }
    }

    private static void usage() {
        System.out.println("usage: frontier-worker <command> [options]   (each command has --help)");
        System.out.println();
        COMMANDS.forEach((k, v) -> System.out.printf("  %-10s %s%n", k, v));
    }
}
