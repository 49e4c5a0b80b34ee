# Image for docker-compose.yml's ingest and streams-app services (written and validated, not built here:
# the development machines have no Docker engine). setup needs the pinned Python wheels reachable by pip.
FROM eclipse-temurin:17-jdk
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      maven python3 python3-venv nodejs npm ffmpeg espeak-ng sox kcat \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/mmstream
COPY . .
RUN MMSTREAM_PYTHON=python3 ./mmstream setup
ENV MMSTREAM_JAVA_OPTS="-XX:MaxRAMPercentage=75"
