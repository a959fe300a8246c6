package io.convey.console.access;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.client.Role;
import io.convey.console.fx.Fx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Who may use the appliance: its users (admins add them, change their role, reset their password, remove them) and
 * the API tokens (everyone's own; admins see and revoke all). FX thread only.
 */
public final class AccessViewModel {
    private final ApplianceSession session;
    private final ObservableList<Api.User> users = FXCollections.observableArrayList();
    private final ObservableList<Api.Token> tokens = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper newToken = new ReadOnlyStringWrapper("");

    public AccessViewModel(ApplianceSession session) {
        this.session = session;
        session.role().addListener((o, was, now) -> refresh());
    }

    public ObservableList<Api.User> users() {
        return users;
    }

    public ObservableList<Api.Token> tokens() {
        return tokens;
    }

    /** The outcome of the last command, or why it was refused. */
    public ReadOnlyStringProperty message() {
        return message.getReadOnlyProperty();
    }

    /** The secret of the token created last: shown once, never stored by the console. */
    public ReadOnlyStringProperty newToken() {
        return newToken.getReadOnlyProperty();
    }

    /** True while the console's role may manage users and every user's tokens. */
    public BooleanBinding mayAdminister() {
        return session.allows(Role.ADMIN);
    }

    public void refresh() {
        boolean admin = mayAdminister().get();
        if (admin) {
            Fx.then(session.client().users(), users::setAll, this::failed);
        } else {
            users.clear();
        }
        if (session.role().get() != null) {
            Fx.then(session.client().tokens(admin), tokens::setAll, this::failed);
        }
    }

    public void addUser(String name, String role, String password) {
        run(session.client().addUser(name.strip(), role, password), "user " + name.strip() + " added as " + role);
    }

    public void changeRole(Api.User user, String role) {
        run(session.client().updateUser(user.name(), Map.of("role", role)), "user " + user.name() + " is now " + role);
    }

    public void resetPassword(Api.User user, String password) {
        run(session.client().updateUser(user.name(), Map.of("password", password)),
                "password of " + user.name() + " changed");
    }

    public void removeUser(Api.User user) {
        run(session.client().removeUser(user.name()), "user " + user.name() + " removed (and its tokens revoked)");
    }

    public void createToken(String name) {
        newToken.set("");
        Fx.then(session.client().createToken(name.strip()), created -> {
            newToken.set(created.token());
            message.set("token " + created.name() + " created: copy it now, it is not shown again");
            refresh();
        }, this::failed);
    }

    public void revokeToken(Api.Token token) {
        run(session.client().revokeToken(token.id()), "token " + token.name() + " of " + token.user() + " revoked");
    }

    private void run(CompletableFuture<Void> command, String done) {
        Fx.then(command, ok -> {
            message.set(done);
            refresh();
        }, this::failed);
    }

    private void failed(Throwable failure) {
        message.set(Fx.brief(failure));
    }

    /** The roles an admin can give, in the API's words. */
    public static List<String> roles() {
        return List.of(Role.VIEWER.word(), Role.OPERATOR.word(), Role.ADMIN.word());
    }
}
