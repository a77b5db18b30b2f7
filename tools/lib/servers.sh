# shellcheck shell=bash
# Start RabbitMQ, MariaDB and PostgreSQL without systemd, on 127.0.0.1,
# and create the test credentials. Source tools/lib/common.sh first.
#
# Every function is idempotent: a server that already answers is left
# alone (whoever started it), so the functions are safe to call before
# every test run and from several scripts. Starting a server needs root;
# checking one does not.
#
#   start_rabbitmq      start the broker, wait for `rabbitmqctl await_startup`
#   start_mariadb       start mysqld_safe, wait for `mysqladmin ping`
#   start_postgresql    start the newest cluster, wait for `pg_isready`
#   ensure_mariadb_citest_user     user openstack_citest (see below)
#   ensure_postgresql_citest_user  role openstack_citest (see below)
#   start_all_servers   launch all three, then wait for each, then make
#                       sure the credentials exist
#   launch_X / wait_X   the two halves of start_X, to start several
#                       servers in parallel
#   X_is_ready          true when server X answers
#
# Test credentials (what oslo.db's opportunistic tests expect):
#   MariaDB     openstack_citest/openstack_citest @localhost and @127.0.0.1,
#               ALL ON *.* WITH GRANT OPTION; database openstack_citest
#   PostgreSQL  role openstack_citest LOGIN CREATEDB SUPERUSER, password
#               openstack_citest; database openstack_citest
#   RabbitMQ    guest/guest on 127.0.0.1:5672; tests create their own vhosts
#
# Settings (environment, with their defaults):
#   NOVA_SERVER_START_TIMEOUT=120  seconds to wait for each server
#   RABBITMQ_NODE_PORT=5672  MYSQL_PORT=3306
#   RABBITMQ_NODENAME=<rabbit@hostname, or rabbit@localhost when the
#                     hostname does not resolve>
#   PG_CLUSTER=<newest in pg_lsclusters>  e.g. "15/main"

NOVA_SERVER_START_TIMEOUT=${NOVA_SERVER_START_TIMEOUT:-120}
NOVA_CITEST_USER=openstack_citest
NOVA_CITEST_PASSWORD=openstack_citest
RABBITMQ_NODE_PORT=${RABBITMQ_NODE_PORT:-5672}
MYSQL_PORT=${MYSQL_PORT:-3306}
# Any Erlang program (rabbitmqctl too) starts epmd when it is not running;
# keep it on loopback whoever starts it, tests included.
export ERL_EPMD_ADDRESS=${ERL_EPMD_ADDRESS:-127.0.0.1}

_need_root_to_start() {
    is_root || die "$1 is not running and only root can start it here.
Start it yourself, or run this script as root."
}

_server_log() {
    mkdir -p "$NOVA_SERVER_LOG_DIR"
    printf '%s/%s.log' "$NOVA_SERVER_LOG_DIR" "$1"
}

# --- RabbitMQ --------------------------------------------------------------

# The node is named rabbit@<hostname> and Erlang must resolve that name;
# where it does not, use rabbit@localhost (rabbitmqctl run by the tests
# inherits the variable).
if [[ -z ${RABBITMQ_NODENAME:-} ]] && ! getent hosts "$(hostname)" >/dev/null
then
    export RABBITMQ_NODENAME=rabbit@localhost
fi

rabbitmq_is_ready() {
    if is_root; then
        rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1
    else
        # rabbitmqctl runs only as root or rabbitmq: probe the AMQP port.
        (exec 3<>"/dev/tcp/127.0.0.1/$RABBITMQ_NODE_PORT") 2>/dev/null
    fi
}

launch_rabbitmq() {
    if rabbitmq_is_ready; then
        log "RabbitMQ: already running"
        return 0
    fi
    _need_root_to_start RabbitMQ
    if rabbitmqctl -q ping >/dev/null 2>&1; then
        # The Erlang node is up but the app was stopped (a broker-failure
        # test's `rabbitmqctl stop_app`): start the app, not a second node.
        log "RabbitMQ: node up, starting the app"
        rabbitmqctl -q start_app >>"$(_server_log rabbitmq)" 2>&1 || true
        return 0
    fi
    log "RabbitMQ: starting (log: $(_server_log rabbitmq))"
    # AMQP, epmd and the Erlang distribution port all on loopback only.
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
        RABBITMQ_NODE_PORT=$RABBITMQ_NODE_PORT \
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
        rabbitmq-server -detached </dev/null >>"$(_server_log rabbitmq)" 2>&1
}

wait_rabbitmq() {
    # await_startup exits at once (69) until the node has registered with
    # epmd, so retry it until the deadline.
    local deadline=$((SECONDS + NOVA_SERVER_START_TIMEOUT))
    until rabbitmq_is_ready; do
        if ((SECONDS >= deadline)); then
            die "RabbitMQ: not ready after ${NOVA_SERVER_START_TIMEOUT}s" \
                "(logs: $(_server_log rabbitmq), /var/log/rabbitmq/)"
        fi
        sleep 0.5
    done
    log "RabbitMQ: ready on 127.0.0.1:$RABBITMQ_NODE_PORT"
}

start_rabbitmq() {
    launch_rabbitmq
    wait_rabbitmq
}

# --- MariaDB ---------------------------------------------------------------

mariadb_is_ready() {
    # ping succeeds as soon as the server answers, even when the login is
    # refused, so this needs no credentials.
    mysqladmin --no-defaults --connect-timeout=2 --protocol=tcp \
        -h 127.0.0.1 -P "$MYSQL_PORT" ping >/dev/null 2>&1
}

launch_mariadb() {
    if mariadb_is_ready; then
        log "MariaDB: already running"
        return 0
    fi
    _need_root_to_start MariaDB
    log "MariaDB: starting (log: $(_server_log mariadb))"
    install -d -o mysql -g mysql /run/mysqld
    # setsid: a Ctrl-C in this terminal must not stop the server.
    setsid mysqld_safe --bind-address=127.0.0.1 --port="$MYSQL_PORT" \
        --max-connections=1000 \
        </dev/null >>"$(_server_log mariadb)" 2>&1 &
}

wait_mariadb() {
    wait_for "$NOVA_SERVER_START_TIMEOUT" MariaDB mariadb_is_ready
    log "MariaDB: ready on 127.0.0.1:$MYSQL_PORT"
}

start_mariadb() {
    launch_mariadb
    wait_mariadb
}

_mysql_citest() {
    mysql --no-defaults --protocol=tcp -h 127.0.0.1 -P "$MYSQL_PORT" \
        -u "$NOVA_CITEST_USER" -p"$NOVA_CITEST_PASSWORD" "$@"
}

ensure_mariadb_citest_user() {
    if is_root; then
        # root logs in over the unix socket (unix_socket authentication).
        local u=$NOVA_CITEST_USER p=$NOVA_CITEST_PASSWORD host
        local sql="SET GLOBAL max_connections =
                       GREATEST(@@global.max_connections, 1000);
                   CREATE DATABASE IF NOT EXISTS $u;"
        for host in localhost 127.0.0.1; do
            sql+="CREATE USER IF NOT EXISTS '$u'@'$host' IDENTIFIED BY '$p';
                  ALTER USER '$u'@'$host' IDENTIFIED BY '$p';
                  GRANT ALL PRIVILEGES ON *.* TO '$u'@'$host'
                      WITH GRANT OPTION;"
        done
        mysql -u root -e "$sql" || die "MariaDB: could not create $u"
    fi
    _mysql_citest -e 'SELECT 1' >/dev/null 2>&1 \
        || die "MariaDB: cannot log in as $NOVA_CITEST_USER on 127.0.0.1" \
            "(run this script as root once to create the user)"
}

# --- PostgreSQL ------------------------------------------------------------

_pg_cluster() {
    # "VERSION NAME PORT STATUS" of $PG_CLUSTER or of the newest cluster.
    local want=${PG_CLUSTER:-}
    pg_lsclusters --no-header 2>/dev/null | awk -v want="$want" '
        want == "" || want == $1 "/" $2 { print $1, $2, $3, $4 }' \
        | sort -V | tail -n 1
}

postgresql_is_ready() {
    local port
    port=$(_pg_cluster | awk '{ print $3 }')
    [[ -n $port ]] && pg_isready -q -h 127.0.0.1 -p "$port" -t 2
}

_pg_update_config() {
    # Write our settings into the cluster's conf.d (included by Debian's
    # postgresql.conf); they apply at the cluster's next start. True when
    # the file changed.
    local conf=/etc/postgresql/$1/$2/conf.d/openstack-citest.conf
    local want="# Written by tools/lib/servers.sh for the test suite.
listen_addresses = '127.0.0.1'
max_connections = 300"
    [[ -f $conf && $(<"$conf") == "$want" ]] && return 1
    printf '%s\n' "$want" >"$conf"
}

launch_postgresql() {
    local version name port status
    read -r version name port status < <(_pg_cluster) || true
    [[ -n ${version:-} ]] \
        || die "PostgreSQL: no cluster found (pg_lsclusters is empty)"
    if is_root && _pg_update_config "$version" "$name" \
            && [[ $status == online ]]; then
        warn "PostgreSQL: wrote conf.d/openstack-citest.conf; it applies" \
            "at the next restart (pg_ctlcluster $version $name restart)"
    fi
    if [[ $status == online ]]; then
        log "PostgreSQL: cluster $version/$name already running"
        return 0
    fi
    _need_root_to_start "PostgreSQL cluster $version/$name"
    log "PostgreSQL: starting cluster $version/$name" \
        "(log: /var/log/postgresql/postgresql-$version-$name.log)"
    install -d -o postgres -g postgres -m 2775 /var/run/postgresql
    pg_ctlcluster "$version" "$name" start \
        </dev/null >>"$(_server_log postgresql)" 2>&1 \
        || die "PostgreSQL: pg_ctlcluster $version $name start failed" \
            "(see $(_server_log postgresql))"
}

wait_postgresql() {
    wait_for "$NOVA_SERVER_START_TIMEOUT" PostgreSQL postgresql_is_ready
    log "PostgreSQL: ready on 127.0.0.1:$(_pg_cluster | awk '{ print $3 }')"
}

start_postgresql() {
    launch_postgresql
    wait_postgresql
}

ensure_postgresql_citest_user() {
    local port u=$NOVA_CITEST_USER p=$NOVA_CITEST_PASSWORD
    port=$(_pg_cluster | awk '{ print $3 }')
    if is_root; then
        local sql
        sql=$(cat <<SQL
DO \$\$BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$u') THEN
        CREATE ROLE $u;
    END IF;
END\$\$;
ALTER ROLE $u LOGIN PASSWORD '$p' CREATEDB SUPERUSER;
SELECT 'CREATE DATABASE $u OWNER $u'
    WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$u')\\gexec
SQL
        )
        # As the postgres superuser over the unix socket; from / because
        # postgres may not be allowed into the current directory.
        (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 \
            -p "$port" -d postgres <<<"$sql" >/dev/null) \
            || die "PostgreSQL: could not create role $u"
    fi
    PGPASSWORD=$p PGCONNECT_TIMEOUT=5 psql -X -q -h 127.0.0.1 -p "$port" \
        -U "$u" -d postgres -c 'SELECT 1' >/dev/null 2>&1 \
        || die "PostgreSQL: cannot log in as $u on 127.0.0.1:$port" \
            "(run this script as root once to create the role)"
}

# --- all of them -----------------------------------------------------------

start_all_servers() {
    # Launch all three first so they boot in parallel, then wait for each.
    launch_rabbitmq
    launch_mariadb
    launch_postgresql
    wait_mariadb
    wait_postgresql
    wait_rabbitmq
    ensure_mariadb_citest_user
    ensure_postgresql_citest_user
}
