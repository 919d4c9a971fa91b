package dev.frontier.worker.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import dev.frontier.worker.agent.Agent;
import dev.frontier.worker.agent.AgentConfig;
import dev.frontier.worker.agent.CoordinatorClient;
import dev.frontier.worker.agent.EngineTaskExecutor;

/** {@code agent}: joins a coordinator and works its queue until stopped. */
public final class AgentCommand implements Command {

    @Override
    public String help() {
        return """
                usage: frontier-worker agent --coordinator URL [--token TOKEN] [--device NAME]
                                             [--roles build,measure] [--work-dir DIR] [--max-tasks N]

                Registers this worker (and its device, with the detected hardware profile), then leases
                and runs tasks: PROFILE and BUILD (role build: compress, fine-tune, compile, evaluate,
                upload the artifact) and MEASURE (role measure: time a built artifact on this device,
                exclusively). Stops cleanly on SIGTERM: a task in flight gets 30 s to finish, then its
                lease is released for another worker.

                  --coordinator URL   coordinator base URL (or FRONTIER_URL)
                  --token TOKEN       enrollment token (the coordinator's FRONTIER_WORKER_TOKEN, or one made by
                                      POST /api/v1/tokens with role worker) or an admin token; or
                                      FRONTIER_TOKEN. The agent registers with it and then works with
                                      the worker-bound token the registration returns.
                  --device NAME       the device this worker measures on (required for role measure);
                                      registered on first use, attached to afterwards
                  --roles LIST        build, measure or both (default: both with --device, else build)
                  --work-dir DIR      caches and tuning data (default: ~/.frontier/worker)
                  --lease-wait S      long-poll seconds per lease request (default 20)
                  --heartbeat S       lease/device heartbeat period (default 10)
                  --measure-timeout S watchdog for one measurement (default 600)
                  --max-tasks N       exit after N tasks (default: run until stopped)
                  --measure-threads N threads a measurement runs with (default 1; stated in results)
                  --runtimes LIST     runtimes to measure with: frontier-jvm, frontier-native (needs a C
                                      compiler; FRONTIER_NATIVE_TARGET cross-builds, e.g. aarch64 under
                                      qemu, labelled emulated), onnxruntime (default: all available)
                  --eval-limit N      evaluate on the first N test images only (default: all; for
                                      quick tests; results say how many images were used)
                  --train-limit N     fine-tune on the first N training images only (default: all)
                """;
    }

    @Override
    public int run(Args args) {
        String url = args.string("coordinator", System.getenv("FRONTIER_URL"));
        if (url == null) {
            throw new UsageException("missing --coordinator URL (or FRONTIER_URL)");
        }
        String token = args.string("token", System.getenv("FRONTIER_TOKEN"));
        String device = args.string("device", null);
        List<String> roles = Arrays.asList(args.string("roles", device == null ? "build" : "build,measure").split(","));
        for (String r : roles) {
            if (!r.equals("build") && !r.equals("measure")) {
                throw new UsageException("--roles: unknown role '" + r + "' (use build, measure)");
            }
        }
        if (roles.contains("measure") && device == null) {
            throw new UsageException("role measure needs --device NAME: a measurement belongs to a device");
        }
        Path workDir = Path.of(args.string("work-dir", System.getProperty("user.home") + "/.frontier/worker"));
        AgentConfig config = new AgentConfig(url, token, device, roles, workDir, args.integer("lease-wait", 20),
                args.integer("heartbeat", 10), args.integer("measure-timeout", 600), args.integer("max-tasks", 0),
                args.integer("measure-threads", 1), args.integer("eval-limit", 0), args.integer("train-limit", 0),
                args.string("runtimes", "").isBlank() ? List.of() : Arrays.asList(args.string("runtimes", "").split(",")));
        args.rejectUnknown();

        CoordinatorClient client = new CoordinatorClient(url, token);
        EngineTaskExecutor executor;
        try {
            executor = new EngineTaskExecutor(config, client);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--runtimes: " + e.getMessage());
        }
        Agent agent = new Agent(config, client, executor);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> agent.stop(30), "agent-shutdown"));
        agent.run();
        return 0;
    }
}
