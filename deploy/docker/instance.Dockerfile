# The flowhost instance image: the runtime only. Every pod of every deployment runs it; a pod fetches its
# service's jar from the gateways at start (--jar-url, checked against --jar-sha256), so no image is built per
# service. Build from the repository root after ./flowhost build:
#   docker build -f deploy/docker/instance.Dockerfile -t flowhost/instance:0.1.0 .
FROM eclipse-temurin:25-jre

RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin flowhost
WORKDIR /app
COPY flowhost-cli/target/flowhost.jar /app/flowhost.jar

# A class-data archive of the runtime and its libraries, made once here (by checking the echo example) rather
# than paid for by every pod's first start.
COPY examples/echo/target/echo-service.jar /tmp/echo-service.jar
RUN java -XX:ArchiveClassesAtExit=/app/instance.jsa -XX:+UseSerialGC -cp /app/flowhost.jar \
        io.flowhost.runtime.InstanceMain --jar /tmp/echo-service.jar --describe >/dev/null \
    && rm /tmp/echo-service.jar \
    && chmod 0444 /app/instance.jsa

USER 10001
EXPOSE 8080
# The options the process driver gives its instances (JavaCommand), and the archive baked above.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xss4m", "-XX:SharedArchiveFile=/app/instance.jsa", "-Xshare:auto", \
            "--enable-native-access=ALL-UNNAMED", "-cp", "/app/flowhost.jar", "io.flowhost.runtime.InstanceMain"]
