#!/usr/bin/env bash
# The operator's end-to-end test environment: a real kube-apiserver and etcd on loopback,
# built here from their Go modules (pinned in scripts/kube-testenv/*/go.mod) with the
# machine's Go, as controller-runtime's envtest runs them. Also builds kubectl and helm,
# which render the operator's kustomize base and Helm chart. No binary is downloaded
# from anywhere but the Go module proxy (as module source), and none is committed.
#
#   scripts/kube-testenv.sh build                 build the binaries, or reuse the cached ones; print their folder
#   scripts/kube-testenv.sh start DIR             start etcd and kube-apiserver, state in DIR (certificates, data, logs)
#   scripts/kube-testenv.sh stop DIR              stop what `start DIR` started
#   scripts/kube-testenv.sh restart-apiserver DIR stop kube-apiserver and start it again on the same port and etcd
#   scripts/kube-testenv.sh versions              print `kube-apiserver vX.Y.Z`, the etcd, kubectl and helm versions
#   scripts/kube-testenv.sh run [--] CMD ARGS...  build, start in a new DIR, print the versions, run CMD with
#                                                 KUBE_TESTENV_DIR and KUBECONFIG set, stop everything (also on failure)
#
# `start` writes DIR/env (shell assignments: KUBECONFIG, KUBE_TESTENV_SERVER, ports and
# process ids, the binaries' folder) and DIR/admin.kubeconfig (a client certificate in
# system:masters). The API server runs with RBAC authorisation, the default admission
# plugins, a service-account issuer and signing key (the TokenRequest API works), and no
# controller-manager, scheduler or kubelet: the tests play those parts.
#
# Binaries are cached by version outside the checkout, in
# ${PRESCALE_KUBE_TESTENV_CACHE:-$HOME/.cache/prescale/kube-testenv}/<versions>/bin;
# Go's own module and build caches (go env GOMODCACHE GOCACHE) are reused as they are.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULES="$HERE/kube-testenv"
CACHE_ROOT="${PRESCALE_KUBE_TESTENV_CACHE:-$HOME/.cache/prescale/kube-testenv}"

say() { printf '%s\n' "$*" >&2; }
die() { say "kube-testenv: $*"; exit 1; }

# The pinned versions, read from the go.mod files.
module_version() { awk -v m="$2" '$1 == m || ($1 == "require" && $2 == m) { print ($1 == "require" ? $3 : $2); exit }' "$MODULES/$1/go.mod"; }
KUBE_VERSION="$(module_version kube k8s.io/kubernetes)"
ETCD_VERSION="$(module_version etcd go.etcd.io/etcd/server/v3)"
HELM_VERSION="$(module_version helm helm.sh/helm/v4)"
[ -n "$KUBE_VERSION" ] && [ -n "$ETCD_VERSION" ] && [ -n "$HELM_VERSION" ] || die "cannot read the pinned versions from $MODULES/*/go.mod"

bin_dir() {
  command -v go >/dev/null 2>&1 || die "Go is needed to build the test environment (go1.26 or later)"
  local sum
  sum="$(cat "$MODULES"/*/go.mod "$MODULES"/*/go.sum | sha256sum | cut -c1-10)"
  printf '%s/kube-%s_etcd-%s_helm-%s_%s_%s/bin' "$CACHE_ROOT" "$KUBE_VERSION" "$ETCD_VERSION" "$HELM_VERSION" "$(go env GOVERSION)" "$sum"
}

# Builds what is missing. CGO off, no debug information or symbol table, no VCS
# stamping, -trimpath: smaller binaries and shorter links; the version variables that
# `make` would stamp are set with -X so the binaries report their release.
cmd_build() {
  local bin out tmp start
  bin="$(bin_dir)"
  if [ -x "$bin/kube-apiserver" ] && [ -x "$bin/kubectl" ] && [ -x "$bin/etcd" ] && [ -x "$bin/helm" ]; then
    printf '%s\n' "$bin"
    return
  fi
  tmp="$bin.partial"
  rm -rf "$tmp" && mkdir -p "$tmp"
  export CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false -mod=readonly"
  local minor="${KUBE_VERSION#v1.}"
  minor="${minor%%.*}"
  local kx="" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    kx+=" -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  start=$(date +%s)
  say "kube-testenv: building etcd $ETCD_VERSION, kube-apiserver and kubectl $KUBE_VERSION, helm $HELM_VERSION with $(go env GOVERSION) (first run on a machine: several minutes)"
  (cd "$MODULES/etcd" && go build -ldflags="-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3)
  say "kube-testenv: etcd built ($(( $(date +%s) - start )) s)"
  (cd "$MODULES/kube" && go build -tags=providerless -ldflags="-s -w$kx" -o "$tmp/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
  say "kube-testenv: kube-apiserver and kubectl built ($(( $(date +%s) - start )) s)"
  (cd "$MODULES/helm" && go build -ldflags="-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" -o "$tmp/helm" helm.sh/helm/v4/cmd/helm)
  say "kube-testenv: helm built ($(( $(date +%s) - start )) s in all)"
  rm -rf "$bin" && mv "$tmp" "$bin"
  printf '%s\n' "$bin"
}

cmd_versions() {
  local bin
  bin="$(cmd_build)"
  "$bin/kube-apiserver" --version | sed 's/^Kubernetes /kube-apiserver /'
  "$bin/etcd" --version | awk -F': ' '/etcd Version/ { print "etcd v" $2 }'
  "$bin/kubectl" version --client 2>/dev/null | awk '/Client Version/ { print "kubectl " $3 }'
  "$bin/helm" version --template 'helm {{ .Version }}{{ "\n" }}'
}

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# Certificates: a CA, the API server's serving certificate (127.0.0.1, localhost), an
# admin client certificate in system:masters; and the service-account signing key pair.
make_certs() {
  local d="$1/pki"
  mkdir -p "$d"
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -keyout "$d/ca.key" -out "$d/ca.crt" -days 2 -subj "/CN=prescale-testenv-ca" 2>/dev/null
  openssl req "${ec[@]}" -keyout "$d/serving.key" -out "$d/serving.csr" -subj "/CN=kube-apiserver" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' >"$d/serving.ext"
  openssl x509 -req -in "$d/serving.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 -extfile "$d/serving.ext" -out "$d/serving.crt" 2>/dev/null
  openssl req "${ec[@]}" -keyout "$d/admin.key" -out "$d/admin.csr" -subj "/O=system:masters/CN=prescale-testenv-admin" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >"$d/admin.ext"
  openssl x509 -req -in "$d/admin.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 -extfile "$d/admin.ext" -out "$d/admin.crt" 2>/dev/null
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/sa.key" 2>/dev/null
  openssl pkey -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
}

write_kubeconfig() {
  local dir="$1" port="$2" d="$1/pki"
  cat >"$dir/admin.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: testenv
    cluster:
      server: https://127.0.0.1:$port
      certificate-authority-data: $(base64 -w0 <"$d/ca.crt")
users:
  - name: admin
    user:
      client-certificate-data: $(base64 -w0 <"$d/admin.crt")
      client-key-data: $(base64 -w0 <"$d/admin.key")
contexts:
  - name: testenv
    context: { cluster: testenv, user: admin, namespace: default }
current-context: testenv
EOF
}

start_etcd() {
  local dir="$1"
  # shellcheck disable=SC1091
  . "$dir/env"
  "$KUBE_TESTENV_BIN/etcd" --name testenv --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "testenv=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync --log-level warn \
    >>"$dir/etcd.log" 2>&1 &
  echo "ETCD_PID=$!" >>"$dir/env"
}

start_apiserver() {
  local dir="$1" d="$1/pki"
  # shellcheck disable=SC1091
  . "$dir/env"
  # The default admission plugins (no --enable-admission-plugins), RBAC authorisation,
  # and no endpoint reconciler (its Endpoints may not name a loopback address).
  "$KUBE_TESTENV_BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$KUBE_TESTENV_PORT" \
    --cert-dir "$dir/pki" --tls-cert-file "$d/serving.crt" --tls-private-key-file "$d/serving.key" \
    --client-ca-file "$d/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$d/sa.pub" --service-account-signing-key-file "$d/sa.key" \
    --authorization-mode RBAC \
    --service-cluster-ip-range 10.96.0.0/24 --endpoint-reconciler-type none \
    >>"$dir/apiserver.log" 2>&1 &
  echo "APISERVER_PID=$!" >>"$dir/env"
}

wait_ready() {
  local dir="$1" d="$1/pki" i
  # shellcheck disable=SC1091
  . "$dir/env"
  for i in $(seq 1 240); do
    if ! kill -0 "$APISERVER_PID" 2>/dev/null; then tail -n 30 "$dir/apiserver.log" >&2; die "kube-apiserver exited (log: $dir/apiserver.log)"; fi
    if curl -sf --cacert "$d/ca.crt" --cert "$d/admin.crt" --key "$d/admin.key" "https://127.0.0.1:$KUBE_TESTENV_PORT/readyz" >/dev/null 2>&1; then return; fi
    sleep 0.5
  done
  tail -n 30 "$dir/apiserver.log" >&2
  die "kube-apiserver not ready after 120 s (log: $dir/apiserver.log)"
}

cmd_start() {
  local dir="${1:?start DIR}" bin
  bin="$(cmd_build)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [ ! -e "$dir/env" ] || die "$dir already holds an environment (stop it first)"
  make_certs "$dir"
  local port
  port="$(free_port)"
  cat >"$dir/env" <<EOF
KUBE_TESTENV_DIR=$dir
KUBE_TESTENV_BIN=$bin
KUBE_TESTENV_PORT=$port
KUBE_TESTENV_SERVER=https://127.0.0.1:$port
KUBECONFIG=$dir/admin.kubeconfig
ETCD_PORT=$(free_port)
ETCD_PEER_PORT=$(free_port)
EOF
  write_kubeconfig "$dir" "$port"
  start_etcd "$dir"
  start_apiserver "$dir"
  wait_ready "$dir"
  say "kube-testenv: kube-apiserver ready at https://127.0.0.1:$port (state in $dir)"
}

stop_pid() {
  local pid="$1" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cmd_restart_apiserver() {
  local dir="${1:?restart-apiserver DIR}"
  # shellcheck disable=SC1091
  . "$dir/env"
  stop_pid "$APISERVER_PID"
  start_apiserver "$dir"
  wait_ready "$dir"
}

cmd_stop() {
  local dir="${1:?stop DIR}"
  [ -f "$dir/env" ] || return 0
  # shellcheck disable=SC1091
  . "$dir/env"
  # The last APISERVER_PID in env is the running one (restart-apiserver appends).
  stop_pid "${APISERVER_PID:-}"
  stop_pid "${ETCD_PID:-}"
  mv "$dir/env" "$dir/env.stopped"
}

cmd_run() {
  [ "${1:-}" != "--" ] || shift
  [ $# -gt 0 ] || die "run: no command"
  cmd_build >/dev/null
  cmd_versions
  local dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/prescale-kube-testenv.XXXXXX")"
  trap 'cmd_stop "'"$dir"'"; [ -n "${KUBE_TESTENV_KEEP:-}" ] || rm -rf "'"$dir"'"' EXIT
  trap 'exit 130' INT TERM
  cmd_start "$dir"
  local status=0
  KUBE_TESTENV_DIR="$dir" KUBECONFIG="$dir/admin.kubeconfig" "$@" || status=$?
  return "$status"
}

case "${1:-}" in
  build) cmd_build ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  restart-apiserver) shift; cmd_restart_apiserver "$@" ;;
  versions) cmd_versions ;;
  run) shift; cmd_run "$@" ;;
  *) say "usage: $0 build | start DIR | stop DIR | restart-apiserver DIR | versions | run [--] CMD..."; exit 2 ;;
esac
