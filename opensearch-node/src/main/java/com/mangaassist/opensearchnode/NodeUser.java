package com.mangaassist.opensearchnode;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the node runs as. OpenSearch refuses to start as root ("can not run opensearch as root"), and these machines
 * and CI run everything as root: then the node runs as the system account {@value #ACCOUNT}, created when missing,
 * which owns the node's directory. Anyone else runs it as themselves.
 */
final class NodeUser {

  private static final Logger LOG = LoggerFactory.getLogger(NodeUser.class);
  static final String ACCOUNT = "opensearch";

  private final boolean switchUser;

  private NodeUser(boolean switchUser) {
    this.switchUser = switchUser;
  }

  static NodeUser forCurrentProcess() {
    return new NodeUser(new UnixSystem().getUid() == 0);
  }

  boolean switchesUser() {
    return switchUser;
  }

  /** Creates the account if needed and hands it {@code dir}; nothing to do when not root. */
  void prepare(Path dir) throws IOException, InterruptedException {
    if (!switchUser) {
      return;
    }
    if (run(List.of("id", "-u", ACCOUNT)) != 0) {
      int created = run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ACCOUNT));
      // 9 = already exists: another JVM created it in the meantime, which is as good
      if (created != 0 && created != 9) {
        throw new IOException("useradd " + ACCOUNT + " failed with status " + created);
      }
    }
    requireReachable(dir);
    int chown = run(List.of("chown", "-R", ACCOUNT + ":" + ACCOUNT, dir.toString()));
    if (chown != 0) {
      throw new IOException("chown of " + dir + " to " + ACCOUNT + " failed with status " + chown);
    }
  }

  /**
   * The account must be able to walk down to {@code dir}: a directory under root's home (mode 700) is out of its
   * reach, and the node would die with an access error deep in its log.
   */
  private static void requireReachable(Path dir) throws IOException {
    for (Path parent = dir.toAbsolutePath().getParent(); parent != null; parent = parent.getParent()) {
      if (!Files.getPosixFilePermissions(parent).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IOException("the node runs as user " + ACCOUNT + ", which cannot enter " + parent
            + ": give it a data directory it can reach, such as /var/tmp/mangaassist-opensearch");
      }
    }
  }

  /**
   * {@code command} as this user runs it. {@code setpriv} execs the command in place (unlike su/runuser, which fork
   * and wait), so the process we start is the node's JVM itself and stopping it by its PID stops the node.
   */
  List<String> wrap(List<String> command) {
    if (!switchUser) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of(
        "setpriv", "--reuid=" + ACCOUNT, "--regid=" + ACCOUNT, "--init-groups", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = process.waitFor();
    if (status != 0 && !command.get(0).equals("id")) {
      LOG.warn("{}: {}", String.join(" ", command), output.strip());
    }
    return status;
  }
}
