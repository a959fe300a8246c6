package io.convey.cli;

import io.convey.admin.auth.TlsMaterial;
import io.convey.config.AdminConfig;
import io.convey.config.ConfigLoader;
import io.convey.config.LoadResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code convey --admin-fingerprint}: the SHA-256 fingerprint of the certificate the admin listener serves. */
public final class AdminFingerprint {
    private AdminFingerprint() {}

    /** Prints {@code SHA256 Fingerprint=AB:CD:...}; exit 2 when the config is invalid or no certificate exists yet. */
    public static int print(Path config, PrintStream out, PrintStream err) {
        LoadResult loaded = ConfigLoader.load(config);
        if (!loaded.ok()) {
            loaded.errors().forEach(err::println);
            err.println(config + ": not valid");
            return ExitCodes.BAD_CONFIG;
        }
        AdminConfig admin = loaded.config().orElseThrow().admin();
        if (!admin.tls()) {
            err.println("convey: the admin listener serves plain HTTP ([admin] tls = \"off\"): no certificate");
            return ExitCodes.BAD_CONFIG;
        }
        Path cert = admin.tlsCert().orElse(admin.stateDir(config).resolve(TlsMaterial.CERT_FILE));
        if (!Files.exists(cert)) {
            err.println("convey: no certificate yet at " + cert + " (the daemon generates it at its first start)");
            return ExitCodes.BAD_CONFIG;
        }
        try {
            out.println("SHA256 Fingerprint=" + TlsMaterial.fingerprint(TlsMaterial.readCertificate(cert)));
            return ExitCodes.OK;
        } catch (IOException e) {
            err.println("convey: " + e.getMessage());
            return ExitCodes.BAD_CONFIG;
        }
    }
}
