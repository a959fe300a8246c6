package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.config.PassthroughConfig;
import io.convey.packet.PassthroughSettings;
import org.junit.jupiter.api.Test;

class PacketModeSettingsTest {

    @Test
    void theDataPlaneLeavesTcpChecksumsToTheReceiver() {
        PassthroughConfig config = PassthroughConfig.defaults();
        PassthroughSettings settings = PacketModeDataPlane.settings("eth0", config);
        assertThat(settings.verifyTcpChecksum()).isFalse();
        assertThat(settings.workers()).isEqualTo(Math.min(config.workers(), config.connectionTrackerCapacity()));
        assertThat(settings.timeouts().closing()).isEqualTo(config.closingTimeout());
    }
}
