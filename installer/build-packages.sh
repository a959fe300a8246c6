#!/usr/bin/env bash
# Builds the Convey packages into installer/target/packages:
#   convey_<version>_amd64.deb            the daemon, /usr/bin/convey, /etc/convey/convey.toml, convey.service
#   convey-<version>-linux-x64.tar.gz     the same files for machines without dpkg (extract into /opt)
#   convey-console_<version>_amd64.deb    the JavaFX console, when gui/target/convey-console.jar exists
#
# Usage: installer/build-packages.sh                         all of the above from core/target/convey.jar
#        installer/build-packages.sh console <jar> <out-dir>  only the console package, from the given jar
#
# jpackage builds the app-image (launcher + jlink-trimmed runtime, about 5 s); dpkg-deb builds the .deb from it
# with our own DEBIAN/ folder. `jpackage --type deb` installs only /opt/<name>: the unit file, the conffile in
# /etc, /usr/bin/convey and the user handling would all be overrides of its internal templates, and it takes
# about 35 s where dpkg-deb takes a few.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
package_src="$here/src/main/package"
target="$here/target"
umask 022

# Modules of the daemon's runtime: `jdeps --print-module-deps` on the shaded jar (the installer tests re-run it
# and fail when a dependency needs a module missing here) plus jdk.httpserver, which the demo uses, and
# jdk.zipfs, through which Jetty serves the dashboard's classpath resources from the jar (a file-system
# provider loaded as a service, so jdeps does not see it).
DAEMON_MODULES=java.base,java.desktop,java.instrument,java.management,java.naming,java.net.http,java.rmi,java.security.jgss,java.sql,jdk.httpserver,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs
# Smaller runtime image; the .deb is compressed again anyway, this mostly saves installed size.
JLINK_OPTIONS="--strip-debug --no-man-pages --no-header-files --strip-native-commands --compress=zip-6"

select_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/jpackage" ] && "$candidate/bin/java" -version 2>&1 | grep -q '"25'; then
      JAVA_HOME="$candidate"
      return
    fi
  done
  echo "build-packages: no JDK 25 with jpackage found (set JAVA_HOME)" >&2
  exit 1
}

# app_image <name> <jar> <modules> <dest-dir> <java-option>...: a jpackage app-image at <dest-dir>/<name>.
app_image() {
  local name="$1" jar="$2" modules="$3" dest="$4"
  shift 4
  local input="$dest/$name-input" options=() began=$SECONDS
  rm -rf "$input" "${dest:?}/$name"
  mkdir -p "$input"
  cp "$jar" "$input/"
  for option in "$@"; do options+=(--java-options "$option"); done
  "$JAVA_HOME/bin/jpackage" --type app-image --name "$name" --app-version "$APP_VERSION" \
    --input "$input" --main-jar "$(basename "$jar")" --dest "$dest" \
    --add-modules "$modules" --jlink-options "$JLINK_OPTIONS" "${options[@]}"
  rm -rf "$input"
  echo "app-image $name in $((SECONDS - began)) s ($(du -sh "$dest/$name" | cut -f1))"
}

# deb <staging-root> <control-dir> <out-dir>: DEBIAN/ from <control-dir> with version and size filled in.
deb() {
  local stage="$1" control="$2" out="$3" size name
  size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
  mkdir -p "$stage/DEBIAN"
  for f in "$control"/*; do
    install -m "$([ -x "$f" ] && echo 0755 || echo 0644)" "$f" "$stage/DEBIAN/"
  done
  sed -i -e "s/@VERSION@/$DEB_VERSION/" -e "s/@INSTALLED_SIZE@/$size/" "$stage/DEBIAN/control"
  name="$(sed -n 's/^Package: //p' "$stage/DEBIAN/control")"
  mkdir -p "$out"
  # --root-owner-group: every file root:root without fakeroot; postinst hands /etc/convey to the convey group.
  # gzip: readable by every dpkg; the runtime and the jar are compressed already, so xz saves 5% in 4x the time.
  dpkg-deb --root-owner-group -Zgzip -z6 --build "$stage" "$out/${name}_${DEB_VERSION}_amd64.deb" >/dev/null
  echo "built $out/${name}_${DEB_VERSION}_amd64.deb ($(du -h "$out/${name}_${DEB_VERSION}_amd64.deb" | cut -f1))"
}

daemon_packages() {
  local work="$target/package-work/convey" out="$target/packages"
  rm -rf "$work" && mkdir -p "$work"
  # Serial GC and a 256 MB starting heap: the proxy keeps about 36 MB live, so a young collection takes 1-2 ms
  # every few seconds under load (G1: 2-6 ms every 1-2 s; Parallel: 30-160 ms), docs/benchmarks.md.
  app_image convey "$JAR" "$DAEMON_MODULES" "$work" \
    --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true -XX:+ExitOnOutOfMemoryError \
    -XX:+UseSerialGC -Xms256m

  local stage="$work/deb"
  mkdir -p "$stage/opt" "$stage/usr/bin" "$stage/etc/convey" "$stage/lib/systemd/system" "$stage/usr/share/doc/convey"
  cp -a "$work/convey" "$stage/opt/convey"
  ln -s /opt/convey/bin/convey "$stage/usr/bin/convey"
  install -m 0644 "$package_src/convey.toml" "$stage/etc/convey/convey.toml"
  install -m 0644 "$package_src/convey.service" "$stage/lib/systemd/system/convey.service"
  install -m 0644 "$package_src/copyright" "$package_src/README" "$stage/usr/share/doc/convey/"
  deb "$stage" "$package_src/debian/convey" "$out" &
  local deb_pid=$!

  # The tarball extracts to ./convey: `tar -xzf ... -C /opt` gives the same /opt/convey as the .deb.
  local tree="$work/tar/convey"
  mkdir -p "$tree/etc" "$tree/lib/systemd"
  cp -a "$work/convey/." "$tree/"
  install -m 0644 "$package_src/convey.toml" "$tree/etc/convey.toml"
  install -m 0644 "$package_src/convey.service" "$tree/lib/systemd/convey.service"
  install -m 0644 "$package_src/copyright" "$package_src/README" "$tree/"
  mkdir -p "$out"
  local tarball="$out/convey-$VERSION-linux-x64.tar.gz"
  tar -C "$work/tar" --owner=0 --group=0 --numeric-owner -czf "$tarball" convey
  echo "built $tarball ($(du -h "$tarball" | cut -f1))"
  wait "$deb_pid"
}

# console_package <jar> <out-dir>
console_package() {
  local jar="$1" out="$2" work="$target/package-work/convey-console" modules
  rm -rf "$work" && mkdir -p "$work"
  # JavaFX on the class path: jdeps finds what it and the console need (a few seconds on a small jar).
  modules="$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps "$jar")"
  app_image convey-console "$jar" "$modules,jdk.unsupported" "$work" --enable-native-access=ALL-UNNAMED
  local stage="$work/deb"
  mkdir -p "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" "$stage/usr/share/doc/convey-console"
  cp -a "$work/convey-console" "$stage/opt/convey-console"
  ln -s /opt/convey-console/bin/convey-console "$stage/usr/bin/convey-console"
  install -m 0644 "$package_src/convey-console.desktop" "$stage/usr/share/applications/"
  install -m 0644 "$package_src/copyright" "$stage/usr/share/doc/convey-console/"
  deb "$stage" "$package_src/debian/convey-console" "$out"
}

select_jdk
command -v dpkg-deb >/dev/null || { echo "build-packages: dpkg-deb not found (apt-get install dpkg)" >&2; exit 1; }
JAR="$root/core/target/convey.jar"
[ -f "$JAR" ] || { echo "build-packages: $JAR not found (./mvnw -B -DskipTests package builds it)" >&2; exit 1; }
# The jar knows its version (manifest); Debian orders 0.4.0~SNAPSHOT before 0.4.0, jpackage wants digits only.
VERSION="$("$JAVA_HOME/bin/java" -jar "$JAR" --version)"
DEB_VERSION="${VERSION//-/\~}"
APP_VERSION="${VERSION%%-*}"

case "${1:-all}" in
  all)
    start=$SECONDS
    daemon_packages
    console_jar="$root/gui/target/convey-console.jar"
    if [ -f "$console_jar" ]; then
      console_package "$console_jar" "$target/packages"
    else
      echo "convey-console: skipped, $console_jar not found (build the gui module first)"
    fi
    echo "packages built in $((SECONDS - start)) s"
    ;;
  console)
    console_package "${2:?console jar}" "${3:?output directory}"
    ;;
  *)
    echo "usage: installer/build-packages.sh [all | console <jar> <out-dir>]" >&2
    exit 2
    ;;
esac
