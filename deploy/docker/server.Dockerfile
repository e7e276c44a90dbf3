# The flowhost gateway image (deploy/kubernetes runs two). Build from the repository root after ./flowhost build:
#   docker build -f deploy/docker/server.Dockerfile -t flowhost/server:0.1.0 .
FROM eclipse-temurin:25-jre

RUN useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin flowhost \
    && mkdir -p /var/lib/flowhost && chown 10001 /var/lib/flowhost
WORKDIR /app
COPY flowhost-cli/target/flowhost.jar /app/flowhost.jar

USER 10001
EXPOSE 8080
ENV FLOWHOST_DATA_DIR=/var/lib/flowhost
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/flowhost.jar"]
CMD ["server", "--host=0.0.0.0", "--port=8080"]
