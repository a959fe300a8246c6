package io.convey.cli;

import io.convey.admin.auth.TlsMaterial;
import io.convey.announce.BirdSetup;
import io.convey.announce.KeepalivedSetup;
import io.convey.config.ConfigLoader;
import io.convey.config.ConveyConfig;
import io.convey.config.LoadResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** {@code --print-bgp-setup} and {@code --print-keepalived}: the speaker's and keepalived's config for this appliance. */
public final class AnnounceSetup {
    private AnnounceSetup() {}

    /** Prints BIRD 2's configuration; returns the exit code (0, or {@code badConfig}). */
    public static int printBird(Path file, PrintStream out, PrintStream err, int badConfig) {
        return print(file, out, err, badConfig, BirdSetup::config);
    }

    /** Prints keepalived's configuration; returns the exit code (0, or {@code badConfig}). */
    public static int printKeepalived(Path file, PrintStream out, PrintStream err, int badConfig) {
        return print(file, out, err, badConfig, c -> keepalived(c, file));
    }

    /** keepalived's configuration for the appliance whose config file is {@code file} (the admin certificate's home). */
    static String keepalived(ConveyConfig c, Path file) {
        return KeepalivedSetup.config(c, Daemon.adminAddress(c), c.admin().tls()
                ? Optional.of(c.admin().tlsCert().orElse(c.admin().stateDir(file).resolve(TlsMaterial.CERT_FILE)))
                : Optional.empty());
    }

    private static int print(Path file, PrintStream out, PrintStream err, int badConfig,
            Function<ConveyConfig, String> render) {
        LoadResult result = ConfigLoader.load(file);
        result.problems().forEach(err::println);
        if (!result.ok()) {
            err.println(file + ": " + result.errors().size() + " problem(s); the configuration is not valid");
            return badConfig;
        }
        try {
            out.print(render.apply(result.config().orElseThrow()));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(file + ": " + e.getMessage());
            return badConfig;
        }
    }
}
