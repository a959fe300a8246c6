package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.cluster.EtcdClient;
import io.convey.cluster.EtcdSettings;
import io.convey.cluster.Fleet;
import io.convey.testing.EtcdCluster;
import io.convey.testing.NamedServer;
import java.nio.file.Files;
import java.time.Instant;
import io.convey.testing.RunningDaemon;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard and the console parse the admin API's JSON: every route answers the same keys in the same order,
 * with the same value types (integer or decimal, null or not), as written here. A shape is the JSON with every
 * scalar replaced by its type; an array shows the distinct shapes of its elements, sorted.
 */
class ApiResponsesKeepTheirShapeTest {
    private static final String COUNTERS = "{total_connections:int,current_connections:int,bytes_tx:int,bytes_rx:int}";
    private static final String SAMPLE = "{t:string,bytes_in:int,bytes_out:int,active:int,new:int}";

    private static final String SERVER = "{name:string,addr:string,weight:int,state:string,eligible:bool,expected_share:decimal,"
            + "active_connections:int,total_connections:int,bytes_tx:int,bytes_rx:int,health:{up:bool,checked:bool,"
            + "last_check:string,latency_ms:decimal,consecutive_successes:int,consecutive_failures:int,last_error:null,"
            + "flaps_last_hour:int,history:[{at:string,up:bool,reason:string}]},udp:null,stats:{peak_connections:int,"
            + "connect_errors:int,connect_timeouts:int,retries:int,state_since:string,in_state_s:int,downtime_s:int},"
            + "max_connections:int,slots_in_use:int,effective_weight:decimal,ramp_percent:int}";
    private static final String TRAFFIC = "queue_size:int,queue_timeout_ms:int,slow_start_s:int,observe:bool,"
            + "persistence_timeout_s:int,half_close:bool";
    /**
     * The proxy data plane's details ({@code transport, active_connections}) come from a {@code Map.of} of its own,
     * whose order varies from one JVM to the next: the test compares them in the order docs/api.md gives.
     */
    private static final String DATA_PLANE = "{transport:string,active_connections:int}";
    private static final String POOL = "{name:string,algorithm:string,health_check_interval_ms:int,health_check_timeout_ms:int,"
            + "rise:int,fall:int,connect_timeout_ms:int,idle_timeout_s:int,health_check:string,health_check_port:null,send_proxy:string,counters:" + COUNTERS + ",servers:[" + SERVER + "],udp:null,"
            + TRAFFIC + ",queue:{current:int,peak:int,queued:int,served:int,timed_out:int,full:int,abandoned:int},"
            + "persistent_by_construction:bool}";
    private static final String STATUS = "{version:string,mode:string,started_at:string,uptime_s:int,config_file:string,"
            + "config_version:int,last_reload:{at:string,source:string,ok:bool,version:int,problems:[]},totals:" + COUNTERS
            + ",data_plane:" + DATA_PLANE + ",notify:{hooks:{}},announce:{maintenance:bool},cluster:null}";
    /** {@code GET /api/v1/fleet} of a member in a fleet of one (its server unchecked yet, or checked). */
    static final String FLEET = "{name:string,member:string,etcd_endpoints:[string],reachable:bool,problem:null,"
            + "revision:int,members:[{member:string,revision:int,drift:bool,rejected_revision:int,rejected_problems:[],"
            + "source:string,mode:string,started_at:string,uptime_s:int,totals:{connections:int,active:int,bytes_tx:int,"
            + "bytes_rx:int},health:{web/a:string},updated_at:string}],disagreements:[]}";

    /**
     * Route, then its shape once the server is checked. Objects once built with {@code Map.of} (a config frontend and
     * server, a health transition) had no fixed key order; they keep the order docs/api.md gives.
     */
    static final Map<String, String> EXPECTED = new LinkedHashMap<>();
    static final String ADMISSION = "{refused_by_acl:int,rate_limited:int}";

    static {
        EXPECTED.put("GET /api/v1/status", STATUS);
        EXPECTED.put("GET /api/v1/config", "{frontends:{f:{listen_addr:string,backend:string,protocol:string,udp_idle_timeout_s:null,udp_responses:null,udp_max_sessions:null,accept_proxy:bool,accept_proxy_timeout_ms:int,sni:{},sni_mismatch:string,sni_timeout_ms:int,max_connections:int}},backends:{p:{algorithm:string,health_check_interval_ms:int,"
                + "health_check_timeout_ms:int,rise:int,fall:int,connect_timeout_ms:int,idle_timeout_s:int,health_check:string,"
                + "health_check_port:null,send_proxy:string,dsr_method:string,"
                + "on_server_down:string,servers:{a:{addr:string,weight:int,state:string,max_connections:int}}," + TRAFFIC
                + "}},stats:{port:int}}");
        EXPECTED.put("GET /api/v1/frontends", "[{name:string,listen_addr:string,bound_addr:string,backend:string,counters:" + COUNTERS
                + ",protocol:string,udp:null,accept_proxy:bool,accept_proxy_timeout_ms:int,sni:{},sni_mismatch:string,sni_timeout_ms:int,refused:{}"
                + ",admission:" + ADMISSION + ",traffic:{allow:[],deny:[],rate_limit:int,rate_limit_burst:int,"
                + "rate_limit_prefix_v4:int,rate_limit_prefix_v6:int,rate_limit_sources:int,access_log:string,"
                + "access_log_format:string,access_log_max_size:int,access_log_max_files:int},max_connections:int,refused_full:int}]");
        EXPECTED.put("GET /api/v1/backends", "[" + POOL + "]");
        EXPECTED.put("GET /api/v1/backends/p", POOL);
        EXPECTED.put("GET /api/v1/stats/series?seconds=5", "{interval_s:int,scopes:{appliance:[" + SAMPLE + "],pool/p:[" + SAMPLE + "],server/p/a:[" + SAMPLE + "]}}");
        EXPECTED.put("GET /api/v1/config/history", "[{id:int,config_version:int,at:string,source:string,summary:string,by:string}]");
        EXPECTED.put("GET /stats", "{total_connections:int,current_connections:int,total_bytes_tx:int,total_bytes_rx:int,backends:{p:{"
                + "total_connections:int,current_connections:int,bytes_tx:int,bytes_rx:int,servers:{<a>:bool},queue_current:int,"
                + "queue_peak:int}},frontends:{f:"
                + COUNTERS.substring(0, COUNTERS.length() - 1) + "," + ADMISSION.substring(1)
                + "},mode:string,config_version:int,udp:{frontends:{},backends:{},servers:{}},"
                + DATA_PLANE.substring(1));
        EXPECTED.put("GET /health", "{serving:bool,maintenance:bool}");
        EXPECTED.put("GET /api/v1/session", "{user:string,role:string,csrf_token:null,auth:string,token_name:string}");
        EXPECTED.put("GET /api/v1/users", "[{name:string,role:string,created_at:string}]");
        EXPECTED.put("GET /api/v1/tokens", "[{id:string,name:string,user:string,created_at:string,last_used_at:string}]");
        EXPECTED.put("POST /api/v1/config/validate", "{valid:bool,problems:[{file:string,line:int,path:string,message:string,warning:bool}]}");
        EXPECTED.put("POST /api/v1/probe", "{addr:string,reachable:bool,latency_ms:decimal,error:null}");
        EXPECTED.put("POST /api/v1/backends/p/preview", "{shares:{a:decimal},moved_fraction:null}");
        EXPECTED.put("PATCH /api/v1/backends/p/servers/a", "{config_version:int,summary:string}");
        EXPECTED.put("GET /api/v1/status after a write", STATUS);
        EXPECTED.put("POST /api/v1/maintenance", "{maintenance:bool}");
        EXPECTED.put("GET /api/v1/backends/nope (404)", "{error:string,problems:[{path:string,message:string}]}");
        EXPECTED.put("GET /api/v1/fleet (404)", "{error:string,problems:[{path:string,message:string}]}");
        EXPECTED.put("GET /api/v1/access-log", "{entries:[],written:int,dropped:int}");
        EXPECTED.put("GET /api/v1/events/recent", "{events:[{at:string,type:string,data:{at:string,config_version:int,"
                + "source:string,summary:string}}|{at:string,type:string,data:{at:string,on:bool,by:string}}"
                + "|{at:string,type:string,data:{at:string,pool:string,server:string,addr:string,up:bool,reason:string}}]}");
    }

    @Test
    void everyRouteAnswersTheShapeTheClientsParse(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Api api = new Api(daemon);
            await().until(() -> Api.json(api.get("/api/v1/backends/p")).at("/servers/0/health/history").size() > 0);
            await().until(() -> Api.json(api.get("/api/v1/stats/series")).at("/scopes/appliance").size() > 0);
            Map<String, String> actual = new LinkedHashMap<>();
            for (String path : new String[] {"/api/v1/status", "/api/v1/config", "/api/v1/frontends", "/api/v1/backends",
                    "/api/v1/backends/p", "/api/v1/stats/series?seconds=5", "/api/v1/config/history", "/stats", "/health",
                    "/api/v1/session", "/api/v1/users", "/api/v1/tokens"}) {
                actual.put("GET " + path, shape(ok(api.get(path))).replace(a.addr(), "<a>"));
            }
            actual.put("POST /api/v1/config/validate", shape(ok(api.send("POST", "/api/v1/config/validate",
                    api.fileText() + "\n[backends.q]\nalgorithm = \"nope\"\n"))));
            actual.put("POST /api/v1/probe", shape(ok(api.send("POST", "/api/v1/probe", "{\"addr\": \"" + a.addr() + "\"}"))));
            actual.put("POST /api/v1/backends/p/preview", shape(ok(api.send("POST", "/api/v1/backends/p/preview",
                    "{\"weights\": {\"a\": 3}}"))));
            actual.put("PATCH /api/v1/backends/p/servers/a", shape(ok(api.send("PATCH", "/api/v1/backends/p/servers/a",
                    "{\"weight\": 2}"))));
            actual.put("GET /api/v1/status after a write", shape(ok(api.get("/api/v1/status"))));
            actual.put("POST /api/v1/maintenance", shape(ok(api.send("POST", "/api/v1/maintenance", "{\"on\": true}"))));
            actual.put("GET /api/v1/backends/nope (404)", shape(Api.json(api.get("/api/v1/backends/nope"))));
            actual.put("GET /api/v1/fleet (404)", shape(Api.json(api.get("/api/v1/fleet"))));
            actual.put("GET /api/v1/access-log", shape(ok(api.get("/api/v1/access-log?client=127.0.0.1&limit=5"))));
            a.close();
            await().until(() -> api.get("/api/v1/events/recent").body().contains("\"health\""));
            actual.put("GET /api/v1/events/recent", shape(ok(api.get("/api/v1/events/recent"))));
            actual.replaceAll((route, shape) -> shape.replace("active_connections:int,transport:string}",
                    "transport:string,active_connections:int}"));
            assertThat(actual).containsExactlyEntriesOf(EXPECTED);
        }
    }

    @Test
    void theFleetViewAnswersTheShapeTheClientsParse(@TempDir Path dir) throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir, 1)) {
            String fleet = """
                    [backends.web.servers.a]
                    addr = "127.0.0.1:%d"
                    """.formatted(io.convey.testing.Tcp.freeLoopbackPort());
            try (var client = new EtcdClient(EtcdSettings.plain(etcd.endpoints()))) {
                new Fleet(client, "shape").write(fleet, 0, new Fleet.Change("test", "init", "shape", Instant.now()));
            }
            Path member = Files.createDirectories(dir.resolve("member"));
            try (RunningDaemon daemon = RunningDaemon.start(member, """
                    [admin]
                    listen_addr = "127.0.0.1:%d"
                    [cluster]
                    etcd_endpoints = %s
                    name = "shape"
                    member = "a"
                    """.formatted(io.convey.testing.Tcp.freeLoopbackPort(), etcd.endpointsToml()))) {
                await().until(() -> daemon.getJson("/api/v1/fleet").get("members").size() == 1);
                assertThat(shape(daemon.getJson("/api/v1/fleet"))).isEqualTo(FLEET);
                assertThat(shape(daemon.getJson("/api/v1/status").get("cluster"))).isEqualTo("{name:string,member:string,"
                        + "etcd_endpoints:[string],connected:bool,source:string,revision:int,latest_seen_revision:int,"
                        + "mirror_file:string,problem:null,rejected:null}");
            }
        }
    }

    private static final String UDP = "{datagrams_tx:int,datagrams_rx:int,bytes_tx:int,bytes_rx:int,sessions_current:int,"
            + "sessions_total:int,sessions_dropped:int,unreachable:int,unanswered:int}";

    /** A UDP frontend's routes: its settings, and the UDP counters where TCP frontends and pools have null. */
    @Test
    void aUdpFrontendAndItsPoolAnswerTheirUdpShapes(@TempDir Path dir) throws Exception {
        try (io.convey.testing.UdpServer u = new io.convey.testing.UdpServer("u");
                RunningDaemon daemon = RunningDaemon.start(dir, """
                        [frontends.dns]
                        listen_addr = "127.0.0.1:%d"
                        backend = "p"
                        protocol = "udp"
                        udp_responses = 1
                        [backends.p]
                        health_check = "none"
                        [backends.p.servers.u]
                        addr = "%s"
                        """.formatted(io.convey.testing.Udp.freeLoopbackPort(), u.addr()));
                io.convey.testing.Udp client = new io.convey.testing.Udp()) {
            Api api = new Api(daemon);
            assertThat(client.ask(daemon.frontend("dns"), "q")).isEqualTo("u:q");

            assertThat(shape(ok(api.get("/api/v1/frontends")))).startsWith("[{name:string,listen_addr:string,"
                    + "bound_addr:string,backend:string,counters:" + COUNTERS + ",protocol:string,udp:" + UDP + ",");
            assertThat(shape(ok(api.get("/api/v1/config"))).replace(u.addr(), "<u>")).startsWith("{frontends:{dns:{"
                    + "listen_addr:string,backend:string,protocol:string,udp_idle_timeout_s:int,udp_responses:int,"
                    + "udp_max_sessions:int,");
            String pool = shape(ok(api.get("/api/v1/backends/p")));
            assertThat(pool).contains(",health_check:string,health_check_port:null,send_proxy:string,counters:" + COUNTERS)
                    // no probes (health_check = "none"): no check latency to show
                    .contains("latency_ms:null").contains("},udp:" + UDP + ",stats:{").contains("],udp:" + UDP + ",");
            assertThat(shape(ok(api.get("/stats"))).replace(u.addr(), "<u>")).contains("udp:{frontends:{dns:" + UDP
                    + "},backends:{p:" + UDP + "},servers:{p:{<u>:" + UDP + "}}}");
        }
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return Api.json(response);
    }

    /** Key names and order, recursively, with the type of every scalar. */
    static String shape(JsonNode node) {
        if (node.isObject()) {
            return node.properties().stream().map(e -> e.getKey() + ":" + shape(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (node.isArray()) {
            TreeSet<String> elements = new TreeSet<>();
            node.forEach(e -> elements.add(shape(e)));
            return elements.stream().collect(Collectors.joining("|", "[", "]"));
        }
        if (node.isIntegralNumber()) {
            return "int";
        }
        if (node.isNumber()) {
            return "decimal";
        }
        return node.isTextual() ? "string" : node.isBoolean() ? "bool" : node.isNull() ? "null" : node.getNodeType().toString();
    }
}
