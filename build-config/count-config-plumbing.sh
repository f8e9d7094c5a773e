#!/usr/bin/env bash
# Counts the lines of the configuration plumbing, over the roles issue 14 counted (3,356 lines then): whole files,
# every line (wc -l), as the issue did. Run from anywhere: build-config/count-config-plumbing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
files=(
  # The settings model and core mapping (what replaced core's option builders' restated config): every option
  # declared once with its type, default, bounds and description; parsing, validation, and the mapping to core.
  dps-twin-core/src/main/java/io/dpstwin/core/config/*.java
  # Spring binding (was DpsTwinProperties and DpsTwinOptionsFactory; shared by both Boot lines): the Binder-backed source of the model's names.
  dps-twin-spring-common/src/main/java/io/dpstwin/spring/autoconfigure/SpringSettingsSource.java
  # Functions reading of app settings (was FunctionsSettings and SettingsReader; its source is a nested class).
  dps-twin-functions-adapter/src/main/java/io/dpstwin/functions/FunctionsSettings.java
  # The Functions factory from settings to a DpsTwin (was FunctionsDpsTwinFactory, same file).
  dps-twin-functions-adapter/src/main/java/io/dpstwin/functions/FunctionsDpsTwinFactory.java
  # The docs table (was OptionCatalog): generated from the model.
  docs/src/test/java/io/dpstwin/docs/configuration/ConfigurationTableTest.java
)
wc -l "${files[@]}"
