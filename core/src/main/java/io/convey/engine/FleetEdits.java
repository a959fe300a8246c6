package io.convey.engine;

import io.convey.cluster.Fleet;
import io.convey.config.ConfigChange;
import io.convey.config.ConfigEditException;
import io.convey.config.ConfigEditException.Kind;
import io.convey.config.ConveyConfig;
import io.convey.config.LoadResult;
import io.convey.config.TomlEditException;
import io.convey.config.TomlEditor;
import java.util.OptionalLong;

/**
 * The operators' edits of a fleet's configuration: made on the fleet's text as etcd holds it now (not on what this
 * member happens to run), validated as a file edit is, and written as a compare-and-swap on that revision, so that
 * of two writers on the same revision one succeeds and the other gets a stale-version answer.
 */
final class FleetEdits {
    private FleetEdits() {}

    static ConfigEditor.Result edit(FleetSync fleet, ConfigChange change, OptionalLong ifMatch, String by)
            throws ConfigEditException {
        Fleet.Revision base = base(fleet, ifMatch);
        ConveyConfig current = valid(fleet.parse(base.text(), fleet.label(base.revision())),
                "the fleet's configuration does not load on this member");
        change.check(current);
        String next;
        try {
            TomlEditor editor = new TomlEditor(base.text());
            change.editText(editor);
            next = editor.text();
        } catch (TomlEditException e) {
            throw ConfigEditException.of(Kind.INVALID, "the edit cannot be written into the configuration", "",
                    e.getMessage());
        }
        ConveyConfig edited = valid(fleet.parse(next, "config"), "the resulting configuration is not valid");
        if (!edited.equals(change.applyTo(current))) {
            throw ConfigEditException.of(Kind.FAILED, "the edited text does not mean what the edit asked for", "",
                    "re-parsed text differs from the intended configuration (expected: only \"" + change.summary() + "\")");
        }
        return new ConfigEditor.Result(fleet.write(next, base.revision(), "api", by, change.summary()), change.summary());
    }

    static ConfigEditor.Result replace(FleetSync fleet, String text, String source, String summary, OptionalLong ifMatch,
            String by) throws ConfigEditException {
        Fleet.Revision base = base(fleet, ifMatch);
        valid(fleet.parse(text, "config"), "the resulting configuration is not valid");
        return new ConfigEditor.Result(fleet.write(text, base.revision(), source, by, summary), summary);
    }

    private static Fleet.Revision base(FleetSync fleet, OptionalLong ifMatch) throws ConfigEditException {
        Fleet.Revision base = fleet.base();
        if (ifMatch.isPresent() && ifMatch.getAsLong() != base.revision()) {
            throw ConfigEditException.of(Kind.STALE, "the fleet's configuration changed meanwhile", "",
                    "version " + ifMatch.getAsLong() + " (expected: " + base.revision() + ", the fleet's current revision)");
        }
        return base;
    }

    private static ConveyConfig valid(LoadResult loaded, String message) throws ConfigEditException {
        if (!loaded.ok()) {
            throw new ConfigEditException(Kind.INVALID, message, loaded.errors());
        }
        return loaded.config().orElseThrow();
    }
}
