package io.convey.console.overview;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.client.Role;
import io.convey.console.fx.Fx;
import java.util.List;
import java.util.stream.Collectors;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The appliance's availability from the status's {@code announce} section: maintenance and its switch (operators and
 * admins), the VRRP state, each VIP's announcement and why, the BGP sessions. FX thread only.
 */
public final class AvailabilityViewModel {
    private final ApplianceSession session;
    private final ReadOnlyBooleanWrapper maintenance = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper vrrp = new ReadOnlyStringWrapper("…");
    private final ReadOnlyStringWrapper vips = new ReadOnlyStringWrapper("…");
    private final ReadOnlyStringWrapper bgp = new ReadOnlyStringWrapper("…");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    public AvailabilityViewModel(ApplianceSession session) {
        this.session = session;
        session.status().addListener((o, was, now) -> show(now));
        show(session.status().get());
    }

    /** True while the console's role may switch maintenance (operator or admin). */
    public BooleanBinding maySwitch() {
        return session.allows(Role.OPERATOR);
    }

    public ReadOnlyBooleanProperty maintenance() {
        return maintenance.getReadOnlyProperty();
    }

    /** True while a switch is on its way to the appliance. */
    public ReadOnlyBooleanProperty busy() {
        return busy.getReadOnlyProperty();
    }

    /** MASTER, BACKUP, FAULT as keepalived notified, or "not configured" without {@code [vrrp]}. */
    public ReadOnlyStringProperty vrrp() {
        return vrrp.getReadOnlyProperty();
    }

    /** One line per VIP: address, state and reason. */
    public ReadOnlyStringProperty vips() {
        return vips.getReadOnlyProperty();
    }

    /** One line per BGP session, or "not configured" without {@code [bgp]}. */
    public ReadOnlyStringProperty bgp() {
        return bgp.getReadOnlyProperty();
    }

    /** The last switch's failure, empty after a success. */
    public ReadOnlyStringProperty message() {
        return message.getReadOnlyProperty();
    }

    /** Asks the appliance to start or end maintenance, then re-reads its status. */
    public void switchMaintenance(boolean on) {
        busy.set(true);
        Fx.then(session.client().maintenance(on), answer -> {
            busy.set(false);
            maintenance.set(answer.maintenance());
            message.set("");
            session.refresh();
        }, failure -> {
            busy.set(false);
            message.set("Maintenance not changed: " + Fx.describe(failure));
        });
    }

    private void show(Api.Status status) {
        if (status == null) {
            return;
        }
        Api.Announce a = status.announce();
        maintenance.set(a != null && a.maintenance());
        vrrp.set(vrrpText(a));
        vips.set(vipText(a));
        bgp.set(bgpText(a));
    }

    static String vrrpText(Api.Announce a) {
        return a == null || a.vrrp() == null ? "not configured" : a.vrrp().state();
    }

    static String vipText(Api.Announce a) {
        if (a == null || a.method() == null) {
            return "not announced (no [bgp] or [vrrp])";
        }
        List<Api.Vip> list = a.vips() == null ? List.of() : a.vips();
        return list.isEmpty() ? "no VIP (frontends on loopback or any-address are not announced)" : list.stream()
                .map(v -> v.vip() + " " + v.state().toUpperCase() + " (" + (v.reasonText() == null ? v.reason() : v.reasonText()) + ")")
                .collect(Collectors.joining("\n"));
    }

    static String bgpText(Api.Announce a) {
        if (a == null || a.bgp() == null) {
            return "not configured";
        }
        List<Api.BgpSession> sessions = a.bgp().sessions() == null ? List.of() : a.bgp().sessions();
        return sessions.isEmpty() ? String.valueOf(a.bgp().state()) : sessions.stream()
                .map(s -> s.name() + " " + s.state() + (s.info() == null || s.info().isBlank() ? "" : " (" + s.info() + ")"))
                .collect(Collectors.joining("\n"));
    }
}
