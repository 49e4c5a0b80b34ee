#!/usr/bin/env bash
# A secured cluster end to end, as a deployment runs it: the broker with a TLS listener and SASL/SCRAM users
# (keys made here with the JDK's keytool), and every client command given its Kafka settings in a --config file.
# A client without them is refused with one line; serve, ingest, watch, topics and deadletters work with them;
# no password appears in any process's output or in the broker's files.
set -uo pipefail
cd "$(dirname "$0")/.."
source tests/processes.sh

store_pw="store-$RANDOM$RANDOM$RANDOM"
user_pw="user-$RANDOM$RANDOM$RANDOM"
keytool=$(dirname "$(readlink -f "$(command -v java)")")/keytool
"$keytool" -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 2 -dname CN=127.0.0.1 \
  -ext SAN=ip:127.0.0.1,dns:localhost -keystore "$dir/broker.p12" -storetype PKCS12 \
  -storepass "$store_pw" -keypass "$store_pw" >/dev/null 2>&1 || { echo "FAIL: keytool -genkeypair failed"; exit 1; }
"$keytool" -exportcert -alias broker -keystore "$dir/broker.p12" -storepass "$store_pw" -rfc -file "$dir/broker.crt" >/dev/null 2>&1
"$keytool" -importcert -noprompt -alias broker -file "$dir/broker.crt" -keystore "$dir/truststore.p12" \
  -storetype PKCS12 -storepass "$store_pw" >/dev/null 2>&1 || { echo "FAIL: keytool -importcert failed"; exit 1; }
printf '%s' "$store_pw" > "$dir/keystore.password"
printf 'mmstream=%s\n' "$user_pw" > "$dir/users.properties"
chmod 600 "$dir/keystore.password" "$dir/users.properties"

port=$((20000 + RANDOM % 20000))
bootstrap="127.0.0.1:$port"
cat > "$dir/client.properties" <<PROPS
bootstrap=$bootstrap
kafka.security.protocol=SASL_SSL
kafka.sasl.mechanism=SCRAM-SHA-512
kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="mmstream" password="$user_pw";
kafka.ssl.truststore.type=PKCS12
kafka.ssl.truststore.location=$dir/truststore.p12
kafka.ssl.truststore.password=$store_pw
PROPS

./mmstream broker --port "$port" --controller-port $((port + 1)) --data-dir "$dir/broker" --tls-keystore "$dir/broker.p12" \
  --tls-keystore-password-file "$dir/keystore.password" --scram-users "$dir/users.properties" > "$dir/broker.log" 2>&1 &
pids+=("$!")
wait_for "$dir/broker.log" "ready on" 120 || { fail "the secured broker was not ready in 120 s: $(tail -3 "$dir/broker.log")"; exit 1; }
grep -q "TLS + SASL/SCRAM-SHA-512, users mmstream" "$dir/broker.log" || fail "the broker does not say it is secured: $(tail -2 "$dir/broker.log")"

# Without credentials: refused, one line that says what to do.
./mmstream watch --bootstrap "$bootstrap" --timeout-s 3 > "$dir/plain.out" 2>&1
status=$?
[[ $status -eq 1 ]] && grep -q "needs its client settings in --config FILE" "$dir/plain.out" \
  || fail "watch without credentials exited $status: $(tail -2 "$dir/plain.out")"

./mmstream topics check --config "$dir/client.properties" --partitions 3 --replication-factor 1 > "$dir/topics.out" 2>&1 \
  || fail "topics check with credentials failed: $(tail -3 "$dir/topics.out")"

./mmstream serve --config "$dir/client.properties" --state-dir "$dir/state" --app-id security-test --metrics-port 0 \
  > "$dir/serve.log" 2>&1 &
serve=$!
pids+=("$serve")
wait_for "$dir/serve.log" "REBALANCING -> RUNNING" 120 || { fail "serve over SASL_SSL was not running in 120 s: $(tail -5 "$dir/serve.log")"; exit 1; }

./mmstream watch --config "$dir/client.properties" --from-beginning --max 2 --timeout-s 120 > "$dir/watch.out" 2> "$dir/watch.log" &
watch=$!
pids+=("$watch")
espeak-ng -s 170 -w "$dir/speech.wav" "the cat sat on the mat. a dog ran in the park"
./mmstream ingest --config "$dir/client.properties" --source "$dir/speech.wav" --stream-id secure-1 > "$dir/ingest.out" 2>&1 \
  || fail "ingest over SASL_SSL exited non-zero: $(tail -3 "$dir/ingest.out")"
wait "$watch"
lines=$(grep -c "secure-1" "$dir/watch.out")
[[ $lines -eq 2 ]] || fail "watch over SASL_SSL printed $lines predictions of secure-1, expected 2: $(cat "$dir/watch.out" "$dir/watch.log" | tail -3)"
./mmstream deadletters summary --config "$dir/client.properties" > "$dir/deadletters.out" 2>&1 \
  || fail "deadletters summary over SASL_SSL failed: $(tail -2 "$dir/deadletters.out")"

kill -TERM "$serve"; wait "$serve" 2>/dev/null
kill -TERM "${pids[0]}"; wait "${pids[0]}" 2>/dev/null
leaks=$(grep -rlF -e "$store_pw" -e "$user_pw" "$dir"/*.log "$dir"/*.out "$dir/broker" 2>/dev/null)
[[ -z "$leaks" ]] || fail "a password appears in: $leaks"

cat "$dir/watch.out"
echo "security: TLS + SASL/SCRAM broker, refused without credentials, serve/ingest/watch/topics/deadletters with them: $failures failed checks"
[[ $failures -eq 0 ]]
