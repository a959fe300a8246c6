package io.convey.console.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import org.testfx.util.WaitForAsyncUtils;

/** Saves a node as a PNG under {@code target/screenshots/}, drawn by JavaFX itself (works with headless Monocle). */
public final class Screenshots {
    private static final Path DIR = Path.of("target", "screenshots");

    private Screenshots() {
    }

    public static Path save(Node node, String name) {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage image = WaitForAsyncUtils.waitForAsyncFx(10_000, () -> node.snapshot(null, null));
        Path file = DIR.resolve(name + ".png");
        try {
            Files.createDirectories(DIR);
            ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
