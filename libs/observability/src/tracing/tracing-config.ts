/**
 * Tracing follows the standard OpenTelemetry variables and is off unless an
 * exporter is named: OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
 * or OTEL_TRACES_EXPORTER=otlp. OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none
 * switch it off again.
 */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporter = env['OTEL_TRACES_EXPORTER']?.trim().toLowerCase();
  if (exporter === 'none') return false;
  if (exporter === 'otlp') return true;
  return Boolean(
    env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim(),
  );
}

/** OTEL_SERVICE_NAME wins over the name the service gives itself. */
export function tracingServiceName(fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  return env['OTEL_SERVICE_NAME']?.trim() || fallback;
}
