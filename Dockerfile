# syntax=docker/dockerfile:1
# One image for every MangaAssist role: docker-compose.yml picks the role with the container's command
# (`orchestrator --cluster`, `precompute --cluster`, ...). Checked against the repository by DeploymentFilesTest.

# --- build: the reactor, as `mvn -B -DskipTests package` builds it on a laptop --------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY .mvn .mvn
COPY model-emulator model-emulator
COPY opensearch-node opensearch-node
COPY shared shared
COPY precompute-verticle precompute-verticle
COPY orchestrator-verticle orchestrator-verticle
COPY benchmark-verticle benchmark-verticle
COPY launcher launcher
# the local Maven repository survives between builds (BuildKit cache), so a source change does not download it again
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

# --- runtime: the runnable jar and conf/ under MANGAASSIST_HOME ------------------------------------------------------
FROM eclipse-temurin:17-jre
ENV MANGAASSIST_HOME=/opt/mangaassist
WORKDIR /opt/mangaassist
COPY --from=build /src/launcher/target/mangaassist.jar /opt/mangaassist/mangaassist.jar
COPY conf /opt/mangaassist/conf
RUN useradd --system --no-create-home --home-dir /opt/mangaassist mangaassist
USER mangaassist
# orchestrator 8080, precompute 8081, benchmark 8082, emulator 8089 (each role uses one); Hazelcast 5701
EXPOSE 8080 8081 8082 8089 5701
# JVM flags: JAVA_TOOL_OPTIONS (the JVM reads it itself); settings: the environment variables of the README
ENTRYPOINT ["java", "-jar", "/opt/mangaassist/mangaassist.jar"]
CMD ["--help"]
