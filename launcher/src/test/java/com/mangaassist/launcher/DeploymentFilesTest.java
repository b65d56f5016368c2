package com.mangaassist.launcher;

import static com.mangaassist.launcher.MonitoringFilesTest.maps;
import static com.mangaassist.launcher.MonitoringFilesTest.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.config.ConfigFiles;
import com.mangaassist.config.EnvOverrides;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * {@code docker-compose.yml}, the {@code Dockerfile} and {@code conf/lb/nginx.conf} against the launcher and the
 * configuration. No Docker engine runs here, so this is what keeps them deployable: each service runs a role the launcher
 * accepts, sets only settings it reads, listens where the others call it, and every file it mounts exists. Each failure
 * names the service (or file) at fault.
 */
class DeploymentFilesTest {

  static final String COMPOSE = "docker-compose.yml";
  /** The services the "Cluster and deployment" issue lists. */
  static final List<String> REQUIRED = List.of("redis", "opensearch", "emulator", "orchestrator-a", "orchestrator-b",
      "lb", "precompute", "benchmark", "prometheus", "grafana");
  /** Environment a JVM service may set besides {@link EnvOverrides#VARIABLES}: read by the JVM, the jar or logging. */
  static final Set<String> EXTRA_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JAVA_OPTS", "LOG_FORMAT", "MANGAASSIST_HOME");
  /** What every JVM service must set to find the others. */
  static final List<String> REQUIRED_VARIABLES = List.of("CLUSTER_MEMBERS", "CLUSTER_HOST", "REDIS_URL",
      "BEDROCK_ENDPOINT", "OPENSEARCH_URL", "JWT_SECRET");
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");

  private final Map<String, Object> compose = RepoFiles.yaml(COMPOSE);

  @Test
  void everyServiceTheIssueListsIsThere() {
    for (String name : REQUIRED) {
      assertTrue(services().containsKey(name), "service " + name + " is missing from " + COMPOSE);
    }
  }

  @Test
  void everyJvmServiceRunsARoleTheLauncherAcceptsInTheCluster() {
    Set<String> roles = Arrays.stream(Role.values()).filter(r -> r != Role.DEV)
        .map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    Map<String, Map<String, Object>> jvm = jvmServices();
    assertEquals(Set.of("emulator", "orchestrator-a", "orchestrator-b", "precompute", "benchmark"), jvm.keySet(),
        "the services built from the Dockerfile");
    jvm.forEach((name, service) -> {
      List<String> command = strings(service.get("command"));
      assertFalse(command.isEmpty(), "service " + name + " has a command (the role)");
      assertTrue(roles.contains(command.get(0)),
          "service " + name + " runs '" + command.get(0) + "', not a role bin/mangaassist accepts: " + roles);
      assertTrue(command.contains("--cluster"), "service " + name + " joins the cluster (--cluster)");
    });
    assertEquals(2, jvm.values().stream().filter(s -> "orchestrator".equals(role(s))).count(), "two orchestrators");
  }

  @Test
  void jvmServicesSetOnlySettingsTheLauncherReads() {
    Map<String, Map<String, Object>> jvm = jvmServices();
    jvm.forEach((name, service) -> {
      Map<String, String> env = environment(service);
      env.keySet().forEach(variable -> assertTrue(
          EnvOverrides.VARIABLES.containsKey(variable) || EXTRA_VARIABLES.contains(variable),
          "service " + name + " sets " + variable + ", which no setting reads (EnvOverrides.VARIABLES, or "
              + EXTRA_VARIABLES + ")"));
      REQUIRED_VARIABLES.forEach(variable ->
          assertTrue(env.containsKey(variable), "service " + name + " sets " + variable));
      assertEquals(name, env.get("CLUSTER_HOST"), "service " + name + " binds the cluster to its own name");
      assertEquals(jvm.keySet(), new LinkedHashSet<>(Arrays.asList(env.get("CLUSTER_MEMBERS").split("\\s*,\\s*"))),
          "service " + name + ": CLUSTER_MEMBERS names every JVM service");
    });
  }

  @Test
  void urlsPointAtServicesThatListenThere() {
    jvmServices().forEach((name, service) -> environment(service).forEach((variable, value) -> {
      if (!variable.endsWith("_URL") && !variable.equals("BEDROCK_ENDPOINT")) {
        return;
      }
      URI uri = URI.create(value);
      String host = uri.getHost();
      assertTrue(services().containsKey(host), "service " + name + ": " + variable + " " + value + " names no service");
      assertTrue(containerPorts(services().get(host)).contains(uri.getPort()),
          "service " + name + ": " + variable + " " + value + " is a port service " + host + " does not listen on");
      if (variable.equals("BEDROCK_ENDPOINT")) {
        assertEquals("emulator", role(services().get(host)), "service " + name + ": BEDROCK_ENDPOINT is the emulator");
      }
    }));
    assertEquals("/ws", URI.create(environment(services().get("benchmark")).get("BENCH_REPLAY_URL")).getPath(),
        "the benchmark replays through the public chat socket");
  }

  @Test
  void jvmServicesListenOnTheirRolesConfiguredPortsAndNotOnLoopback() {
    jvmServices().forEach((name, service) -> {
      String role = role(service);
      JsonObject config = ConfigFiles.load(literal(environment(service)));
      int rolePort = config.getJsonObject(role).getInteger("port");
      int clusterPort = config.getJsonObject("cluster").getInteger("port");
      Set<Integer> ports = containerPorts(service);
      assertTrue(ports.contains(rolePort), "service " + name + " exposes its " + role + " port " + rolePort + ": " + ports);
      for (int port : ports) {
        assertTrue(port == rolePort || port == clusterPort, "service " + name + " exposes " + port
            + ", neither its " + role + " port " + rolePort + " nor Hazelcast's " + clusterPort);
      }
      String host = config.getJsonObject(role).getString("host", "0.0.0.0");
      assertFalse(LOOPBACK.contains(host), "service " + name + ": the " + role + " listens on " + host
          + " only, which other containers cannot reach");
      Object health = service.get("healthcheck");
      if (health != null) {
        Matcher probe = Pattern.compile("/dev/tcp/127\\.0\\.0\\.1/(\\d+)").matcher(String.valueOf(health));
        while (probe.find()) {
          assertEquals(rolePort, Integer.parseInt(probe.group(1)), "service " + name + ": healthcheck port");
        }
      }
    });
    List<String> published = strings(services().get("lb").get("ports"));
    assertTrue(published.stream().anyMatch(p -> p.startsWith(ConfigFiles.load(Map.of())
        .getJsonObject("orchestrator").getInteger("port") + ":")), "the chat's public port is the orchestrator's: " + published);
  }

  @Test
  void dependenciesAndVolumesExist() {
    Set<String> namedVolumes = compose.get("volumes") == null ? Set.of() : ((Map<?, ?>) compose.get("volumes")).keySet()
        .stream().map(String::valueOf).collect(Collectors.toSet());
    services().forEach((name, service) -> {
      for (String dependency : dependsOn(service)) {
        assertTrue(services().containsKey(dependency), "service " + name + " depends on " + dependency
            + ", which is no service");
      }
      for (String volume : strings(service.get("volumes"))) {
        String source = volume.split(":")[0];
        if (source.startsWith("./") || source.startsWith("/")) {
          assertTrue(Files.exists(RepoFiles.path(source)), "service " + name + " mounts " + source
              + ", which is not in the repository");
        } else {
          assertTrue(namedVolumes.contains(source), "service " + name + " mounts volume " + source
              + ", not declared under volumes:");
        }
      }
    });
  }

  @Test
  void prometheusScrapesServicesThatRunTheJobsRole() {
    Map<String, Object> prometheus = services().get("prometheus");
    String configFile = strings(prometheus.get("command")).stream().filter(a -> a.startsWith("--config.file="))
        .map(a -> a.substring("--config.file=".length())).findFirst().orElse("/etc/prometheus/prometheus.yml");
    assertEquals(configFile, mountTarget(prometheus, "./" + MonitoringFilesTest.PROMETHEUS),
        "service prometheus reads the repository's " + MonitoringFilesTest.PROMETHEUS);
    for (Map<String, Object> job : maps(RepoFiles.yaml(MonitoringFilesTest.PROMETHEUS).get("scrape_configs"))) {
      for (Map<String, Object> group : maps(job.get("static_configs"))) {
        for (String target : strings(group.get("targets"))) {
          URI uri = URI.create("http://" + target);
          Map<String, Object> service = services().get(uri.getHost());
          assertNotNull(service, "prometheus target " + target + " is no service");
          assertEquals(job.get("job_name"), role(service), "prometheus target " + target + " runs the job's role");
          assertTrue(containerPorts(service).contains(uri.getPort()),
              "prometheus target " + target + ": service " + uri.getHost() + " does not listen on " + uri.getPort());
        }
      }
    }
  }

  @Test
  void grafanaIsProvisionedFromTheRepository() {
    Map<String, Object> grafana = services().get("grafana");
    assertEquals("/etc/grafana/provisioning", mountTarget(grafana, "./conf/grafana/provisioning"),
        "service grafana mounts conf/grafana/provisioning");
    String dashboardsPath = (String) ((Map<?, ?>) maps(RepoFiles.yaml(
        "conf/grafana/provisioning/dashboards/mangaassist.yml").get("providers")).get(0).get("options")).get("path");
    assertEquals(dashboardsPath, mountTarget(grafana, "./conf/grafana/dashboards"),
        "service grafana mounts conf/grafana/dashboards where the provider looks");
    String home = environment(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    if (home != null) {
      assertTrue(home.startsWith(dashboardsPath + "/") && Files.exists(RepoFiles.path("conf/grafana/dashboards/"
          + home.substring(dashboardsPath.length() + 1))), "service grafana: home dashboard " + home + " is mounted");
    }
    URI datasource = URI.create((String) maps(RepoFiles.yaml("conf/grafana/provisioning/datasources/prometheus.yml")
        .get("datasources")).get(0).get("url"));
    assertTrue(services().containsKey(datasource.getHost()), "the Grafana data source " + datasource + " is a service");
    assertTrue(containerPorts(services().get(datasource.getHost())).contains(datasource.getPort()),
        "the Grafana data source " + datasource + " is a port its service listens on");
  }

  @Test
  void theLoadBalancerSpreadsChatsOverTheOrchestratorsStickily() {
    Map<String, Object> lb = services().get("lb");
    assertEquals("/etc/nginx/nginx.conf", mountTarget(lb, "./conf/lb/nginx.conf"), "service lb mounts conf/lb/nginx.conf");
    String nginx = RepoFiles.text("conf/lb/nginx.conf");
    int orchestratorPort = ConfigFiles.load(Map.of()).getJsonObject("orchestrator").getInteger("port");
    Set<String> upstream = new LinkedHashSet<>();
    Matcher server = Pattern.compile("(?m)^\\s*server\\s+([\\w.-]+):(\\d+)").matcher(nginx);
    while (server.find()) {
      Map<String, Object> service = services().get(server.group(1));
      assertNotNull(service, "nginx upstream " + server.group(1) + " is no service");
      assertEquals("orchestrator", role(service), "nginx upstream " + server.group(1) + " runs the orchestrator");
      assertEquals(orchestratorPort, Integer.parseInt(server.group(2)), "nginx upstream " + server.group(1) + " port");
      upstream.add(server.group(1));
    }
    Set<String> orchestrators = jvmServices().entrySet().stream().filter(e -> "orchestrator".equals(role(e.getValue())))
        .map(Map.Entry::getKey).collect(Collectors.toSet());
    assertEquals(orchestrators, upstream, "nginx balances over every orchestrator");
    assertTrue(nginx.matches("(?s).*\\bip_hash\\s*;.*"), "sticky by client address for SockJS's xhr transports");
    for (String location : List.of("/ws", "/eventbus", "/sockjs")) {
      assertTrue(Pattern.compile("location\\s+" + Pattern.quote(location) + "/?\\s*\\{").matcher(nginx).find(),
          "nginx proxies " + location);
    }
    assertTrue(nginx.contains("proxy_set_header Upgrade $http_upgrade"), "nginx passes WebSocket upgrades");
    assertTrue(nginx.contains("proxy_set_header Connection $connection_upgrade"), "nginx passes WebSocket upgrades");
    Matcher listen = Pattern.compile("listen\\s+(\\d+)\\s*;").matcher(nginx);
    assertTrue(listen.find(), "nginx listens");
    assertTrue(containerPorts(lb).contains(Integer.parseInt(listen.group(1))),
        "service lb publishes nginx's port " + listen.group(1) + ": " + lb.get("ports"));
  }

  @Test
  void theDockerfileBuildsWithMavenAndRunsTheShadedJarWithConf() throws Exception {
    List<String> lines = dockerfileInstructions();
    String buildFrom = lines.stream().filter(l -> l.matches("(?i)FROM\\s+maven:3\\.9-eclipse-temurin-17\\s+AS\\s+build"))
        .findFirst().orElse(null);
    assertNotNull(buildFrom, "a Maven build stage: FROM maven:3.9-eclipse-temurin-17 AS build");
    int runtime = lastIndexMatching(lines, "(?i)FROM\\s+eclipse-temurin:17-jre\\b.*");
    assertTrue(runtime > lines.indexOf(buildFrom), "the last stage runs on eclipse-temurin:17-jre");
    List<String> build = lines.subList(lines.indexOf(buildFrom), runtime);
    assertTrue(build.stream().anyMatch(l -> l.startsWith("RUN") && l.contains("mvn -B -DskipTests package")),
        "the build stage runs mvn -B -DskipTests package");
    String buildDir = build.stream().filter(l -> l.startsWith("WORKDIR")).map(l -> l.substring(7).trim())
        .findFirst().orElse("/");

    Set<String> copied = new LinkedHashSet<>();
    for (String line : lines) {
      if (!line.startsWith("COPY") || line.contains("--from=")) {
        continue;
      }
      List<String> args = Arrays.stream(line.substring(4).trim().split("\\s+")).filter(a -> !a.startsWith("--")).toList();
      for (String source : args.subList(0, args.size() - 1)) {
        assertTrue(Files.exists(RepoFiles.path(source)), "Dockerfile copies " + source + ", which is not in the repository");
        copied.add(source.replaceAll("/$", ""));
      }
    }
    for (String module : modules()) {
      assertTrue(copied.contains(module), "the build stage copies module " + module + " of pom.xml");
    }

    String jar = "launcher/target/" + launcherFinalName() + ".jar";
    assertTrue(Files.isDirectory(RepoFiles.path("launcher")), "launcher module");
    String copyJar = lines.stream().filter(l -> l.startsWith("COPY") && l.contains("--from=build")).findFirst().orElse("");
    String[] jarArgs = copyJar.split("\\s+");
    assertEquals(buildDir.replaceAll("/$", "") + "/" + jar, jarArgs[jarArgs.length - 2],
        "the runtime stage takes the shaded jar of launcher/pom.xml from the build stage");
    String installedJar = jarArgs[jarArgs.length - 1];

    String home = lines.stream().filter(l -> l.matches("ENV\\s+MANGAASSIST_HOME[= ].*"))
        .map(l -> l.replaceFirst("ENV\\s+MANGAASSIST_HOME[= ]\\s*", "").trim()).findFirst().orElse(null);
    assertNotNull(home, "ENV MANGAASSIST_HOME: where ConfigFiles.home() finds conf/");
    assertTrue(lines.contains("COPY conf " + home + "/conf"), "conf/ is copied to " + home + "/conf");
    assertEquals(home, installedJar.substring(0, installedJar.lastIndexOf('/')), "the jar is installed in " + home);
    String entrypoint = lines.stream().filter(l -> l.startsWith("ENTRYPOINT")).reduce((a, b) -> b).orElse("");
    JsonArray exec = new JsonArray(entrypoint.substring("ENTRYPOINT".length()).trim());
    assertEquals(List.of("java", "-jar", installedJar), exec.getList(), "ENTRYPOINT java -jar the installed jar");
    assertTrue(RepoFiles.text(".dockerignore").lines().anyMatch(l -> l.trim().matches("(\\*\\*/)?target/?")),
        ".dockerignore keeps build output out of the context");
  }

  // --- reading docker-compose.yml ----------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> services() {
    return (Map<String, Map<String, Object>>) compose.get("services");
  }

  /** The services built from the repository's Dockerfile: the JVM roles. */
  private Map<String, Map<String, Object>> jvmServices() {
    Map<String, Map<String, Object>> jvm = new LinkedHashMap<>();
    services().forEach((name, service) -> {
      if (service.containsKey("build")) {
        jvm.put(name, service);
      }
    });
    return jvm;
  }

  private static String role(Map<String, Object> service) {
    List<String> command = strings(service.get("command"));
    return service.containsKey("build") && !command.isEmpty() ? command.get(0) : null;
  }

  /** {@code environment:} as a map, whether written as a map or as a list of {@code NAME=value}. */
  private static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object raw = service.get("environment");
    if (raw instanceof Map<?, ?> map) {
      map.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    } else if (raw instanceof List<?> list) {
      list.forEach(entry -> {
        String[] kv = String.valueOf(entry).split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : "");
      });
    }
    return env;
  }

  /** Values compose would interpolate ({@code ${X:-default}}) are left out: they are the operator's to set. */
  private static Map<String, String> literal(Map<String, String> env) {
    Map<String, String> literal = new LinkedHashMap<>(env);
    literal.values().removeIf(v -> v.contains("${"));
    return literal;
  }

  /** Container ports of {@code expose:} and {@code ports:} ({@code "8080"}, {@code "8080:8080"}, {@code "127.0.0.1:1:2/tcp"}). */
  private static Set<Integer> containerPorts(Map<String, Object> service) {
    Set<Integer> ports = new LinkedHashSet<>();
    List<String> all = new ArrayList<>(strings(service.get("expose")));
    all.addAll(strings(service.get("ports")));
    for (String port : all) {
      String container = port.substring(port.lastIndexOf(':') + 1).replaceAll("/.*", "");
      ports.add(Integer.parseInt(container));
    }
    return ports;
  }

  private static Set<String> dependsOn(Map<String, Object> service) {
    Object raw = service.get("depends_on");
    if (raw instanceof Map<?, ?> map) {
      return map.keySet().stream().map(String::valueOf).collect(Collectors.toSet());
    }
    return new LinkedHashSet<>(strings(raw));
  }

  /** Where the service mounts the repository path {@code source} ({@code ./conf/...}); null when it does not. */
  private static String mountTarget(Map<String, Object> service, String source) {
    return strings(service.get("volumes")).stream().map(v -> v.split(":"))
        .filter(parts -> parts[0].replaceAll("/$", "").equals(source)).map(parts -> parts[1]).findFirst().orElse(null);
  }

  // --- reading the Dockerfile and the POMs -------------------------------------------------------------------------

  /** Instructions, continuation lines joined, comments and blank lines dropped. */
  private static List<String> dockerfileInstructions() {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : RepoFiles.text("Dockerfile").lines().toList()) {
      String trimmed = line.trim();
      if (current.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
      } else {
        instructions.add(current.append(trimmed).toString().trim());
        current.setLength(0);
      }
    }
    return instructions;
  }

  private static int lastIndexMatching(List<String> lines, String regex) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).matches(regex)) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> modules() throws Exception {
    NodeList modules = pom("pom.xml").getElementsByTagName("module");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < modules.getLength(); i++) {
      names.add(modules.item(i).getTextContent().trim());
    }
    assertFalse(names.isEmpty(), "pom.xml lists its modules");
    return names;
  }

  private static String launcherFinalName() throws Exception {
    NodeList finalName = pom("launcher/pom.xml").getElementsByTagName("finalName");
    assertEquals(1, finalName.getLength(), "launcher/pom.xml names its jar");
    return finalName.item(0).getTextContent().trim();
  }

  private static Document pom(String relative) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(RepoFiles.path(relative).toFile());
  }
}
