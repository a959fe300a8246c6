package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.testing.Screenshots;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class BadWeightShowsTheProblemOnItsRowTest extends ConsoleTestBase {

    @Test
    void aWeightOutOfRangeIsRefusedByTheApplianceAndItsProblemShownOnTheRow(FxRobot robot) throws Exception {
        openAppliance(robot, "Servers");
        eventually().until(() -> servers(robot).stream().allMatch(s -> s.health().up()));

        editWeight(robot, "a", "70000");

        eventually().until(() -> text(cell(robot, "a", "Problem")).contains("70000 (expected: 0-65535)"));
        eventually().untilAsserted(() -> assertThat(text(cell(robot, "b", "Problem"))).isEmpty());
        eventually().untilAsserted(() -> assertThat(text(cell(robot, "a", "Weight"))).isEqualTo("1"));
        assertThat(appliance.configText()).isEqualTo(appliance.initialText());
        assertThat(appliance.configVersion()).isEqualTo(1);
        Screenshots.save(robot.lookup("#main").query(), "bad-weight");

        editWeight(robot, "b", "many");
        eventually().until(() -> text(cell(robot, "b", "Problem")).equals("weight: many (expected: 0-65535)"));
        assertThat(appliance.configVersion()).isEqualTo(1);
    }
}
