# shellcheck shell=bash
# Shared apt plumbing for scripts/fetch-kernels.sh, scripts/qemu-check.sh and scripts/qemu-matrix.sh.
#
# Packages of any Debian suite and architecture are fetched through a *private* apt state (lists,
# cache, sources under a directory the caller owns), so the machine's apt state is never changed
# (no `dpkg --add-architecture`, no new sources). The archive URIs are the ones this machine's apt
# is configured with (/etc/apt/sources.list, sources.list.d/*.list and *.sources): only suites are
# added. No archive host name is written here. Where the machine has no Debian source (an Ubuntu CI
# runner), set VDSO_LAYOUT_DEBIAN_URI (and VDSO_LAYOUT_DEBIAN_SECURITY_URI) to your mirror.
#
#   . scripts/lib/apt.sh
#   apt_private_init DIR "bookworm" "amd64 i386"   # sets APT_OPTS; DIR/lists, DIR/cache, DIR/sources.list
#   apt_private_update                              # 0 when every index needed was fetched
#   apt_kernel_package amd64 amd64                  # -> linux-image-6.1.0-NN-amd64 (the suite's current one)
#   apt_download PKG:ARCH DESTDIR                   # -> path of the .deb

# Debian suite names this machine's sources may use (codenames and aliases); anything else in the
# configuration (third-party repositories) is ignored.
APT_DEBIAN_SUITES='stretch buster bullseye bookworm trixie forky duke sid stable oldstable oldoldstable testing unstable experimental'

# Every configured "deb" source as "URI SUITE SIGNED-BY" lines (SIGNED-BY may be "-").
apt_configured_sources() {
  local f etc=${VDSO_LAYOUT_APT_ETC:-/etc/apt} # overridable for the tests
  for f in "$etc/sources.list" "$etc"/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    # One-line style: deb [opt=val ...] URI SUITE COMPONENT...
    awk '$1 == "deb" {
      sb = "-"; i = 2
      if ($2 ~ /^\[/) { while (i <= NF) { if ($i ~ /signed-by=/) { sb = $i; sub(/.*signed-by=/, "", sb); sub(/\].*/, "", sb) } if ($i ~ /\]$/) { i++; break } i++ } }
      if (i + 1 <= NF) print $i, $(i + 1), sb
    }' "$f"
  done
  for f in "$etc"/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    # deb822 style: paragraphs of Types/URIs/Suites/Signed-By/Enabled.
    awk 'function flush(   n, m, u, s, i, j) {
        if (types ~ /(^| )deb( |$)/ && enabled != "no") {
          n = split(uris, u, " "); m = split(suites, s, " ")
          for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) print u[i], s[j], (signed == "" ? "-" : signed)
        }
        types = uris = suites = signed = enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      { line = $0; key = tolower(line); sub(/:.*/, "", key); val = line; sub(/^[^:]*:[ \t]*/, "", val)
        if (key == "types") types = val; else if (key == "uris") uris = val; else if (key == "suites") suites = val
        else if (key == "signed-by") signed = (val ~ /^\// ? val : ""); else if (key == "enabled") enabled = tolower(val) }
      END { flush() }' "$f"
  done
}

# The configured Debian archive URIs: sets APT_DEBIAN_URI (main archive) and APT_SECURITY_URI
# (security archive, may stay empty) and APT_SIGNED_BY (a keyring file, or empty).
apt_debian_uris() {
  APT_DEBIAN_URI=${VDSO_LAYOUT_DEBIAN_URI:-}; APT_SECURITY_URI=${VDSO_LAYOUT_DEBIAN_SECURITY_URI:-}; APT_SIGNED_BY=
  local uri suite signed base
  while read -r uri suite signed; do
    base=${suite%%-security}; base=${base%%/updates}
    case " $APT_DEBIAN_SUITES " in *" $base "*) ;; *) continue ;; esac
    if [ "$base" != "$suite" ]; then
      [ -n "$APT_SECURITY_URI" ] || APT_SECURITY_URI=$uri
    elif [ "$suite" = "$base" ]; then
      [ -n "$APT_DEBIAN_URI" ] || { APT_DEBIAN_URI=$uri; [ "$signed" = - ] || APT_SIGNED_BY=$signed; }
    fi
  done < <(apt_configured_sources)
  if [ -z "$APT_DEBIAN_URI" ]; then
    echo "no Debian archive in this machine's apt sources (/etc/apt/sources.list, /etc/apt/sources.list.d/); set VDSO_LAYOUT_DEBIAN_URI to a Debian mirror's URL" >&2
    return 1
  fi
}

# apt_private_init DIR "SUITE..." "ARCH..." — a private apt state in DIR for those suites (each with
# its -security suite where the security archive has one) and architectures. Sets APT_OPTS.
apt_private_init() {
  local dir=$1 suites=$2 arches=$3 s a opt=
  apt_debian_uris || return 1
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  [ -n "$APT_SIGNED_BY" ] && [ -r "$APT_SIGNED_BY" ] && opt="[signed-by=$APT_SIGNED_BY] "
  : > "$dir/sources.list"
  for s in $suites; do
    echo "deb ${opt}$APT_DEBIAN_URI $s main" >> "$dir/sources.list"
    case $s in sid|unstable|experimental) continue ;; esac
    [ -n "$APT_SECURITY_URI" ] && echo "deb ${opt}$APT_SECURITY_URI $s-security main" >> "$dir/sources.list"
  done
  APT_OPTS=(-o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
            -o "Dir::State::status=/dev/null" -o "Dir::Etc::SourceParts=/dev/null" -o "Dir::Etc::SourceList=$dir/sources.list"
            -o "Dir::Etc::Preferences=/dev/null" -o "Dir::Etc::PreferencesParts=/dev/null"
            -o "APT::Sandbox::User=root" -o "Acquire::Languages=none" -o "Debug::NoLocking=1")
  for a in $arches; do APT_OPTS+=(-o "APT::Architectures::=$a"); done
  APT_PRIVATE_DIR=$dir APT_PRIVATE_ARCHES=${arches// /,}
  rm -f "$dir/failed-indices"
}

# Update the private indices. apt updates each repository as one transaction, so one missing or
# half-synced index (a 404, "Mirror sync in progress?") would drop every architecture of that
# suite: the failed architectures are left out of that suite's line and the update is run again.
# Returns non-zero when any index failed; callers decide whether that matters (apt_arch_state),
# and a missing index never means that a package is gone for good.
apt_private_update() {
  local log=$APT_PRIVATE_DIR/update.log bad=0
  for _ in 1 2 3; do
    if apt-get "${APT_OPTS[@]}" -q update > "$log" 2>&1 && ! grep -qE '^(W|E): (Failed|Some index)' "$log"; then return $bad; fi
    bad=1
    grep -E '^(W|E): Failed' "$log" | sed 's/ *\[IP:.*//' >&2
    # "Failed to fetch URI/dists/SUITE/COMPONENT/binary-ARCH/Packages..." -> leave ARCH out of SUITE.
    local failed
    failed=$(sed -nE 's#.*Failed to fetch [^ ]*/dists/([^ /]+)/[^ /]+/binary-([^ /]+)/.*#\1 \2#p' "$log" | sort -u)
    [ -n "$failed" ] || return 1
    local suite arch
    while read -r suite arch; do
      awk -v s="$suite" -v a="$arch" -v all="$APT_PRIVATE_ARCHES" '
        $1 != "deb" { print; next }
        { n = 2; opts = ""; have = all
          if ($2 ~ /^\[/) { for (; n <= NF; n++) { o = $n; gsub(/[][]/, "", o)
              if (o ~ /^arch=/) have = substr(o, 6); else if (o != "") opts = opts " " o
              if ($n ~ /\]$/) { n++; break } } }
          if ($(n + 1) != s) { print; next }
          k = split(have, xs, ","); keep = ""
          for (i = 1; i <= k; i++) if (xs[i] != a && xs[i] != "") keep = keep (keep == "" ? "" : ",") xs[i]
          if (keep == "") next
          print "deb [arch=" keep opts "] " $n, $(n + 1), $(n + 2) }' "$APT_PRIVATE_DIR/sources.list" > "$APT_PRIVATE_DIR/sources.list.new"
      mv "$APT_PRIVATE_DIR/sources.list.new" "$APT_PRIVATE_DIR/sources.list"
      echo "$suite $arch" >> "$APT_PRIVATE_DIR/failed-indices"
    done <<< "$failed"
  done
  return 1
}

# apt_arch_state SUITE ARCH — after an update: "ok" (the suite's index for ARCH is here), "absent"
# (the suite's Release does not list ARCH) or "failed" (it does, or is unknown, and the index is not here).
apt_arch_state() {
  local suite=$1 arch=$2 lists=$APT_PRIVATE_DIR/lists rel
  compgen -G "$lists/*_dists_${suite}_main_binary-${arch}_Packages*" > /dev/null && { echo ok; return; }
  rel=$(compgen -G "$lists/*_dists_${suite}_InRelease" | head -1 || true)
  if [ -n "$rel" ] && ! grep -m1 '^Architectures:' "$rel" | grep -qw -- "$arch"; then echo absent; else echo failed; fi
}

# apt_version PKG:ARCH — the candidate version in the private state (empty when none).
apt_version() {
  apt-cache "${APT_OPTS[@]}" policy "$1" 2>/dev/null | awk '/Candidate:/ && !seen++ { if ($2 != "(none)") print $2 }'
}

# apt_kernel_package ARCH FLAVOUR — the package holding the suite's current kernel image of that
# flavour: what the linux-image-FLAVOUR metapackage depends on (the archive's own choice), else the
# newest linux-image-*-FLAVOUR / linux-binary-*-FLAVOUR it has. Prints "PACKAGE VERSION".
apt_kernel_package() {
  local arch=$1 flavour=$2 dep ver
  dep=$(apt-cache "${APT_OPTS[@]}" depends "linux-image-$flavour:$arch" 2>/dev/null \
        | awk '/^ *Depends: (linux-image|linux-binary)-[0-9]/ && !seen++ { sub(/:.*$/, "", $2); print $2 }')
  if [ -n "$dep" ]; then
    ver=$(apt_version "$dep:$arch")
    [ -n "$ver" ] && { echo "$dep $ver"; return 0; }
  fi
  # No metapackage (or it names a package without a candidate): the newest image of that flavour.
  apt-cache "${APT_OPTS[@]}" search --names-only "^linux-(image|binary)-[0-9].*-$flavour\$" 2>/dev/null | awk '{print $1}' \
    | while read -r p; do v=$(apt_version "$p:$arch"); [ -n "$v" ] && echo "$v $p"; done \
    | sort -V | tail -1 | awk 'NF == 2 { print $2, $1 }'
}

# apt_kernel_candidates ARCH FLAVOUR — "PACKAGE VERSION" lines, the current kernel first, then every
# other kernel of that flavour the indices list, newest first: an index can name a file the archive
# no longer serves (a 404 while a mirror syncs), and then the next one is the suite's newest that is.
apt_kernel_candidates() {
  local arch=$1 flavour=$2 first p
  first=$(apt_kernel_package "$arch" "$flavour")
  [ -z "$first" ] || echo "$first"
  # Same flavour (not -rt-/-cloud- ones ending alike) and same series as the current one (not the
  # newer series a suite's security archive may carry for LTS).
  apt-cache "${APT_OPTS[@]}" search --names-only "^linux-image-[0-9]+\\.[0-9]+[0-9.]*(-[0-9]+|\\+deb[0-9]+)-$flavour\$" 2>/dev/null \
    | awk '{print $1}' | while read -r p; do apt-cache "${APT_OPTS[@]}" madison "$p:$arch" 2>/dev/null | awk -F' [|] ' -v p="$p" '{ print $2, p }'; done \
    | sort -u | sort -rV | awk -v f="$first" 'BEGIN { split(f, x, " "); split(x[2], v, "."); series = v[1] "." v[2] "." }
      $2 " " $1 != f && (f == "" || index($1, series) == 1) { print $2, $1 }'
}

# apt_download PKG:ARCH[=VERSION] DESTDIR — prints the downloaded .deb's path (the name apt-get
# download gives it, so a shared directory holding other packages is fine).
apt_download() {
  local spec=$1 dest=$2 name arch ver deb
  name=${spec%%:*}; arch=${spec#*:}; arch=${arch%%=*}
  case $spec in *=*) ver=${spec#*=} ;; *) ver=$(apt_version "$name:$arch") ;; esac
  [ -n "$ver" ] || return 1
  mkdir -p "$dest"
  ( cd "$dest" && apt-get "${APT_OPTS[@]}" -q download "$name:$arch=$ver" ) >&2 || return 1
  deb=$dest/${name}_${ver//:/%3a}_$arch.deb
  [ -f "$deb" ] || return 1
  echo "$deb"
}
