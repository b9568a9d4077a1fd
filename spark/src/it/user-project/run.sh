#!/usr/bin/env bash
# The issue's "a user project with the README's pom fragment trains an MLP on local[2] to the
# single-process result", run by hand (not part of `mvn verify`: it needs the libraries in a
# repository). The libraries are deployed to a folder instead of installed, so ~/.m2 is not written;
# the user project resolves Tapgrad from that folder and everything else from ~/.m2, read as a
# remote repository (settings.xml), into its own local repository.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../../.."
repo=/tmp/tapgrad-repo
rm -rf "$repo" /tmp/tapgrad-user-m2
(cd "$root" && mvn -B -q deploy -Dtapgrad.target=target-deploy -DskipTests -Dmaven.install.skip=true \
  -DaltDeploymentRepository=tmp::file://$repo -pl spark -am)
cd "$here"
mvn -B -s settings.xml -Dmaven.repo.local=/tmp/tapgrad-user-m2 test
