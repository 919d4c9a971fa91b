package dev.frontier.worker.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.frontier.worker.model.Zoo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The zoo models' profiles as this worker reports them, kept as files the coordinator's tests read
 * (service/src/test/resources/profiles: ZooSearchSpaceTest checks its search space against them), so
 * a change to a pruner's fitness that the coordinator has not seen fails here first. Regenerate with
 * {@code -Dfrontier.profiles.update=true}.
 */
class ZooProfilesTest {
    // as the agent sends it (CoordinatorClient): absent stays absent
    private static final JsonMapper JSON = JsonMapper.builder()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)).build();
    private static final Path DIR = Path.of("..", "service", "src", "test", "resources", "profiles");

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "vgg", "resnet", "mobilenet"})
    void committedProfileIsWhatTheWorkerReports(String arch) throws Exception {
        // through text, so that numbers compare as the coordinator will read them (int vs long nodes)
        JsonNode now = JSON.readTree(JSON.writeValueAsString(ModelProfile.of(Zoo.create(arch, 1, 10))));
        Path file = DIR.resolve(arch + ".json");
        if (Boolean.getBoolean("frontier.profiles.update")) {
            Files.createDirectories(DIR);
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(now) + "\n");
        }
        assertThat(Files.exists(file)).as(file + " exists (run with -Dfrontier.profiles.update=true)").isTrue();
        assertThat(JSON.readTree(Files.readString(file))).as(file + " is stale: run with -Dfrontier.profiles.update=true")
                .isEqualTo(now);
    }
}
