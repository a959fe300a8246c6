package io.convey.console.fleet;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.client.ApiException;
import io.convey.console.fx.Fx;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;

/**
 * The fleet the appliance is in ({@code GET /api/v1/fleet}): members with the revision each runs, drift and why,
 * and the servers members disagree about. Re-read every two seconds while shown, and after each config change.
 * FX thread only.
 */
public final class FleetViewModel {
    private final ApplianceSession session;
    private final ObservableList<Api.FleetMember> members = FXCollections.observableArrayList();
    private final ObservableList<Api.Disagreement> disagreements = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final Timeline poll = new Timeline(new KeyFrame(Duration.seconds(2), e -> refresh()));

    public FleetViewModel(ApplianceSession session) {
        this.session = session;
        poll.setCycleCount(Timeline.INDEFINITE);
        session.configVersion().addListener((o, was, now) -> refresh());
    }

    public ObservableList<Api.FleetMember> members() {
        return members;
    }

    public ObservableList<Api.Disagreement> disagreements() {
        return disagreements;
    }

    /** "Fleet edge: revision 12 in etcd, 2 members, 1 drifting". */
    public ReadOnlyStringProperty summary() {
        return summary.getReadOnlyProperty();
    }

    /** Why the fleet cannot be read (etcd unreachable), or that the appliance is in no fleet. */
    public ReadOnlyStringProperty problem() {
        return problem.getReadOnlyProperty();
    }

    /** Polls while the screen is shown; stops when it is hidden. */
    public void shown(boolean visible) {
        if (visible) {
            refresh();
            poll.play();
        } else {
            poll.stop();
        }
    }

    public void refresh() {
        Fx.then(session.client().fleet(), this::show, failure -> {
            members.clear();
            disagreements.clear();
            summary.set("");
            problem.set(Fx.unwrap(failure) instanceof ApiException api && api.status() == 404
                    ? "This appliance is not in a fleet: its config file is the source of truth."
                    : Fx.describe(failure));
        });
    }

    private void show(Api.Fleet fleet) {
        long drifting = fleet.members().stream().filter(Api.FleetMember::drift).count();
        summary.set("Fleet " + fleet.name() + ": revision " + fleet.revision() + " in etcd, " + fleet.members().size()
                + " member(s), " + (drifting == 0 ? "all in step" : drifting + " drifting") + "  (etcd "
                + String.join(", ", fleet.etcdEndpoints()) + ")");
        problem.set(fleet.reachable() ? "" : "etcd is unreachable: this appliance serves revision " + fleet.revision()
                + "; changes cannot be saved until it answers. " + (fleet.problem() == null ? "" : fleet.problem()));
        members.setAll(fleet.members());
        disagreements.setAll(fleet.disagreements());
    }

    /** The state column: in step, or the revision a drifting member runs and the one it refused with why. */
    public static String state(Api.FleetMember m) {
        String state = m.drift() ? "DRIFT: runs " + m.revision() : "in step";
        if (m.rejectedRevision() > 0) {
            state += " · refused " + m.rejectedRevision() + ": " + String.join("; ", m.rejectedProblems());
        }
        return state;
    }
}
