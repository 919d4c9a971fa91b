package dev.frontier.coordinator.gate;

import java.util.List;
import java.util.Locale;

import dev.frontier.coordinator.api.model.FrontierPoint;
import dev.frontier.coordinator.api.model.Gate;
import dev.frontier.coordinator.api.model.GateCheck;

/** Markdown and JUnit XML renditions of a gate, for pull requests and CI test reports. */
final class GateReports {
    private GateReports() {
    }

    static String markdown(Gate g) {
        StringBuilder md = new StringBuilder();
        String verdict = g.getVerdict() == null ? "RUNNING" : g.getVerdict().getValue();
        String icon = switch (verdict) {
            case "PASS" -> "✅";
            case "FAIL" -> "❌";
            case "ERROR" -> "⚠️";
            default -> "⏳";
        };
        md.append("## ").append(icon).append(" Frontier gate: ").append(verdict).append("\n\n");
        md.append(String.format(Locale.ROOT, "Model **%s** on device **%s**: latency target %.3f ms, max accuracy drop %.2f pp.%n%n",
                g.getModelName(), g.getDeviceName(), g.getLatencyTargetMs(), g.getMaxAccuracyDrop()));
        if (g.getBaselineAccuracy() != null) {
            md.append(String.format(Locale.ROOT, "Dense baseline: %.2f %%%s.%n%n", g.getBaselineAccuracy(),
                    g.getBaselineLatencyMs() == null ? "" : String.format(Locale.ROOT, " at %.3f ms", g.getBaselineLatencyMs())));
        }
        if (g.getChecks() != null && !g.getChecks().isEmpty()) {
            md.append("| check | result | detail |\n|---|---|---|\n");
            for (GateCheck c : g.getChecks()) {
                md.append("| ").append(c.getName()).append(" | ").append(c.getPassed() ? "pass" : "**fail**").append(" | ")
                        .append(escape(c.getMessage())).append(" |\n");
            }
            md.append('\n');
        }
        FrontierPoint chosen = g.getChosen();
        if (chosen != null) {
            md.append(String.format(Locale.ROOT, "Chosen configuration (trial #%d): %.2f %% at %.3f ms, %.1f KiB%n%n",
                    chosen.getSeq(), chosen.getAccuracy(), chosen.getLatencyMs(),
                    chosen.getSizeBytes() == null ? 0 : chosen.getSizeBytes() / 1024.0));
            md.append("```json\n").append(dev.frontier.coordinator.system.Json.write(chosen.getConfig())).append("\n```\n\n");
        }
        List<FrontierPoint> frontier = g.getFrontier();
        if (frontier != null && !frontier.isEmpty()) {
            md.append("<details><summary>Frontier (").append(frontier.size()).append(" points)</summary>\n\n");
            md.append("| trial | accuracy % | latency ms | size KiB |\n|---:|---:|---:|---:|\n");
            for (FrontierPoint p : frontier) {
                md.append(String.format(Locale.ROOT, "| %d | %.2f | %.3f | %.1f |%n", p.getSeq(), p.getAccuracy(),
                        p.getLatencyMs(), p.getSizeBytes() == null ? 0 : p.getSizeBytes() / 1024.0));
            }
            md.append("\n</details>\n");
        }
        md.append(String.format(Locale.ROOT, "%nGate `%s`, job `%s`: %d trials done, %d failed.%n", g.getId(), g.getJobId(),
                g.getDone() == null ? 0 : g.getDone(), g.getFailed() == null ? 0 : g.getFailed()));
        return md.toString();
    }

    static String junit(Gate g) {
        List<GateCheck> checks = g.getChecks() == null ? List.of() : g.getChecks();
        long failures = checks.stream().filter(c -> !c.getPassed()).count();
        boolean error = g.getVerdict() != null && g.getVerdict().getValue().equals("ERROR");
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append(String.format(Locale.ROOT, "<testsuite name=\"frontier-gate\" tests=\"%d\" failures=\"%d\" errors=\"%d\">%n",
                Math.max(1, checks.size()), error ? 0 : failures, error ? 1 : 0));
        String cls = "frontier.gate." + xml(g.getModelName()) + "." + xml(g.getDeviceName());
        if (checks.isEmpty()) {
            x.append("  <testcase classname=\"").append(cls).append("\" name=\"search\">\n")
                    .append("    <skipped message=\"the search has not finished\"/>\n  </testcase>\n");
        }
        for (GateCheck c : checks) {
            x.append("  <testcase classname=\"").append(cls).append("\" name=\"").append(xml(c.getName())).append("\">\n");
            if (!c.getPassed()) {
                String tag = error ? "error" : "failure";
                x.append("    <").append(tag).append(" message=\"").append(xml(c.getMessage())).append("\"/>\n");
            } else {
                x.append("    <system-out>").append(xml(c.getMessage())).append("</system-out>\n");
            }
            x.append("  </testcase>\n");
        }
        x.append("</testsuite>\n");
        return x.toString();
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    static String xml(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (ch >= 0x20 || ch == '\n' || ch == '\t') {
                        b.append(ch);
                    }
                }
            }
        }
        return b.toString();
    }
}
