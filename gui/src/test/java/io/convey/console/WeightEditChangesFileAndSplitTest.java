package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

class WeightEditChangesFileAndSplitTest extends ConsoleTestBase {

    @Test
    void aWeightTypedIntoTheTableIsWrittenToTheFileAndChangesTheSplit(FxRobot robot) throws Exception {
        openAppliance(robot, "Servers");
        eventually().until(() -> servers(robot).stream().allMatch(s -> s.health().up()));
        assertThat(appliance.split(20)).isEqualTo(Map.of("a", 10, "b", 10));

        editWeight(robot, "a", "3");

        eventually().until(() -> server(robot, "a").orElseThrow().weight() == 3);
        eventually().untilAsserted(() -> assertThat(text(cell(robot, "a", "Weight"))).isEqualTo("3"));
        // Only the edited value changes in the file; comments and layout stay.
        assertThat(appliance.configText()).isEqualTo(appliance.initialText().replaceFirst("weight = 1", "weight = 3"));
        assertThat(appliance.configVersion()).isEqualTo(2);
        Map<String, Integer> split = appliance.split(40);
        assertThat(split.get("a")).isBetween(29, 31);
        assertThat(split.get("b")).isBetween(9, 11);
        assertThat(fx(() -> robot.lookup("#serverMessage").queryAs(javafx.scene.control.Label.class).getText()))
                .contains("web_pool/a: weight 3 applied (config version 2)");
    }
}
