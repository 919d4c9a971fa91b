package dev.frontier.coordinator.search;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.frontier.coordinator.api.model.ModelProfile;
import dev.frontier.coordinator.api.model.ProfileLayer;
import dev.frontier.coordinator.api.model.SchemeInfo;
import dev.frontier.coordinator.system.Json;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator's space agrees with the worker for every zoo model: the profiles are the worker's
 * own output (kept current by the worker's ZooProfilesTest), and the space searches exactly each
 * layer's {@code prunable} schemes, with the pattern values the registry advertises; proposals never
 * put a scheme on a layer the worker refuses it for.
 */
class ZooSearchSpaceTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** As the coordinator reads a PROFILE report: strictly, so a property the contract lacks fails here. */
    private static ModelProfile profile(String arch) throws Exception {
        try (InputStream in = ZooSearchSpaceTest.class.getResourceAsStream("/profiles/" + arch + ".json")) {
            assertThat(in).as("profile of " + arch).isNotNull();
            return Json.readStrict(JSON.readTree(in), ModelProfile.class, "result");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "vgg", "resnet", "mobilenet"})
    void spaceIsTheWorkersPrunableListsAndProposalsStayInIt(String arch) throws Exception {
        ModelProfile profile = profile(arch);
        SearchSpace space = SearchSpaces.fromProfile(profile, null);
        Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
        for (ProfileLayer l : profile.getLayers()) {
            List<String> prunable = l.getPrunable();
            if (!prunable.isEmpty()) {
                List<String> withNone = new ArrayList<>(prunable);
                withNone.add("none");
                expected.put(l.getName(), withNone);
            }
        }
        Map<String, List<String>> actual = new java.util.LinkedHashMap<>();
        space.layers().forEach(c -> actual.put(c.name(), c.schemes()));
        assertThat(actual).isEqualTo(expected);
        SchemeInfo pattern = profile.getSchemes().stream().filter(s -> "pattern".equals(s.getName())).findFirst().orElseThrow();
        assertThat(space.patternCounts()).isEqualTo(pattern.getSearchValues().get("patterns"));

        RandomStrategy random = new RandomStrategy(new java.util.Random(7));
        SearchHistory history = SearchHistory.empty(space, 0.25, 2.0);
        for (int i = 0; i < 20; i++) {
            for (Proposal p : random.propose(history, 10)) {
                dev.frontier.coordinator.support.TestConfigs.layers(p.config()).forEach((name, spec) -> {
                    var prune = spec.getPrune();
                    if (prune != null) {
                        String scheme = prune.getScheme().getValue();
                        assertThat(Set.copyOf(expected.getOrDefault(name, List.of()))).as(arch + " " + name).contains(scheme);
                    }
                });
            }
        }
    }
}
