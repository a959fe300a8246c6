package io.convey.console.servers;

import static io.convey.console.fx.Tables.column;

import io.convey.console.client.Api;
import io.convey.console.fx.FittedColumns;
import java.util.Comparator;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import javafx.scene.control.TableColumn;

/**
 * The columns a busy pool needs beside traffic, as on HAProxy's stats page: peak connections, connect errors and
 * retries, time in the current health state and total downtime (the server's {@code stats} in the API).
 */
final class BusyServerColumns {
    private final TableColumn<Api.Server, Api.Server> peak = of("Peak", s -> String.valueOf(stats(s).peakConnections()),
            s -> stats(s).peakConnections());
    private final TableColumn<Api.Server, Api.Server> errors = of("Errors / retries", BusyServerColumns::errorsText,
            s -> stats(s).connectErrors() + stats(s).connectTimeouts());
    private final TableColumn<Api.Server, Api.Server> inState = of("In state", s -> span(stats(s).inStateS()),
            s -> stats(s).inStateS() == null ? -1 : stats(s).inStateS());
    private final TableColumn<Api.Server, Api.Server> downtime = of("Downtime", s -> span(stats(s).downtimeS()),
            s -> stats(s).downtimeS());

    TableColumn<Api.Server, Api.Server> peak() {
        return peak;
    }

    TableColumn<Api.Server, Api.Server> errors() {
        return errors;
    }

    TableColumn<Api.Server, Api.Server> inState() {
        return inState;
    }

    TableColumn<Api.Server, Api.Server> downtime() {
        return downtime;
    }

    /** Registers the columns' texts for fitting their widths. */
    void measure(FittedColumns<Api.Server> fitted) {
        fitted.text(peak, s -> String.valueOf(stats(s).peakConnections())).text(errors, BusyServerColumns::errorsText)
                .text(inState, s -> span(stats(s).inStateS())).text(downtime, s -> span(stats(s).downtimeS()));
    }

    private static TableColumn<Api.Server, Api.Server> of(String title, Function<Api.Server, String> text,
            ToLongFunction<Api.Server> order) {
        TableColumn<Api.Server, Api.Server> column = column(title, s -> s);
        column.setCellFactory(c -> ServersView.textCell(text));
        column.setComparator(Comparator.comparingLong(order));
        return column;
    }

    private static final Api.ServerStats NONE = new Api.ServerStats(0, 0, 0, 0, null, null, 0);

    private static Api.ServerStats stats(Api.Server server) {
        return server.stats() == null ? NONE : server.stats();
    }

    /** "3 (1 t/o) / 2": connect errors and timeouts together (of which timeouts), then retries. */
    static String errorsText(Api.Server server) {
        Api.ServerStats s = stats(server);
        long failed = s.connectErrors() + s.connectTimeouts();
        return failed + (s.connectTimeouts() > 0 ? " (" + s.connectTimeouts() + " t/o)" : "") + " / " + s.retries();
    }

    /** A duration in its two largest units: "42 s", "12 min 5 s", "3 h 12 min", "2 d 3 h"; "–" when unknown. */
    static String span(Long seconds) {
        if (seconds == null) {
            return "–";
        }
        long s = Math.max(0, seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        if (s < 86400) {
            return s / 3600 + " h" + (s / 60 % 60 == 0 ? "" : " " + s / 60 % 60 + " min");
        }
        return s / 86400 + " d" + (s / 3600 % 24 == 0 ? "" : " " + s / 3600 % 24 + " h");
    }
}
