package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The console's command line: --appliance URL in both spellings, --help, and one-line errors. */
class ConsoleOptionsTest {

    @Test
    void anApplianceIsNamedWithASpaceOrAnEqualsSign() {
        assertThat(ConsoleOptions.parse(List.of("--appliance", "https://10.0.0.5:7000")).appliance())
                .isEqualTo(Optional.of("https://10.0.0.5:7000"));
        assertThat(ConsoleOptions.parse(List.of("--appliance=10.0.0.5:7000")).appliance()).isEqualTo(Optional.of("10.0.0.5:7000"));
        assertThat(ConsoleOptions.parse(List.of())).isEqualTo(new ConsoleOptions(Optional.empty(), false));
        assertThat(ConsoleOptions.parse(List.of("--help")).help()).isTrue();
    }

    @Test
    void aMissingUrlOrAnUnknownArgumentIsOneClearLine() {
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--appliance")))
                .hasMessage("--appliance: missing URL (expected: --appliance https://host:port)");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--appliances", "x")))
                .hasMessage("--appliances: unknown argument (expected: --appliance URL or --help)");
    }
}
