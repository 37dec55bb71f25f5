import type { K8sObject } from '../kustomize/render-kustomization.js';
import { ofKind, platformWorkloads, selects, workloadId, type Workload } from './workloads.js';

type Service = K8sObject & {
  spec: { clusterIP?: string; selector?: Record<string, string>; ports?: { name?: string }[] };
};
type Autoscaler = K8sObject & {
  spec: { scaleTargetRef: { apiVersion?: string; kind: string; name: string } };
};
type ServiceMonitor = K8sObject & {
  spec: { selector: { matchLabels?: Record<string, string> }; endpoints: { port?: string }[] };
};

const podLabels = (workload: Workload): Record<string, string> | undefined =>
  workload.spec.template.metadata?.labels;
const hasPort = (service: Service, port: string | undefined): boolean =>
  service.spec.ports?.some((entry) => entry.name === port) ?? false;

/** Every HorizontalPodAutoscaler scales a workload that is rendered with it. */
function autoscalerProblems(objects: readonly K8sObject[]): string[] {
  return ofKind<Autoscaler>(objects, 'HorizontalPodAutoscaler').flatMap((hpa) => {
    const { apiVersion, kind, name } = hpa.spec.scaleTargetRef;
    const found = objects.some(
      (object) =>
        object.kind === kind && object.metadata.name === name && object.apiVersion === apiVersion,
    );
    return found
      ? []
      : [
          `HorizontalPodAutoscaler/${hpa.metadata.name}: scaleTargetRef ${apiVersion ?? ''} ${kind}/${name} is not rendered`,
        ];
  });
}

/** A StatefulSet's serviceName names a headless Service over its pods. */
function governingServiceProblems(workload: Workload, services: readonly Service[]): string[] {
  if (workload.kind !== 'StatefulSet') return [];
  const name = workload.spec.serviceName;
  const service = services.find((entry) => entry.metadata.name === name);
  const governs =
    service?.spec.clusterIP === 'None' && selects(service.spec.selector, podLabels(workload));
  return governs
    ? []
    : [
        `${workloadId(workload)}: serviceName "${name ?? ''}" must be a headless Service selecting its pods`,
      ];
}

/** Some Service reaches the pods on their `http` port (webhooks, probes from outside, scrapes). */
function serviceProblems(workload: Workload, services: readonly Service[]): string[] {
  const reached = services.some(
    (service) => hasPort(service, 'http') && selects(service.spec.selector, podLabels(workload)),
  );
  return reached ? [] : [`${workloadId(workload)}: no Service selects its pods on port http`];
}

/** Each ServiceMonitor scrapes every pod through exactly one Service: none is unmonitored or counted twice. */
function scrapeProblems(
  workload: Workload,
  services: readonly Service[],
  monitor: ServiceMonitor,
): string[] {
  const scraping = services.filter(
    (service) =>
      selects(monitor.spec.selector.matchLabels, service.metadata.labels) &&
      monitor.spec.endpoints.some((endpoint) => hasPort(service, endpoint.port)) &&
      selects(service.spec.selector, podLabels(workload)),
  );
  if (scraping.length === 1) return [];
  const names = scraping.map((service) => service.metadata.name).join(', ');
  return [
    `${workloadId(workload)}: ServiceMonitor/${monitor.metadata.name} scrapes its pods through ${scraping.length} Services (${names}), not exactly one`,
  ];
}

/** What refers to what: autoscaler targets, governing Services, Services and scrapes over the pods. */
export function referenceProblems(objects: readonly K8sObject[]): string[] {
  const services = ofKind<Service>(objects, 'Service');
  const monitors = ofKind<ServiceMonitor>(objects, 'ServiceMonitor');
  return [
    ...autoscalerProblems(objects),
    ...platformWorkloads(objects).flatMap((workload) => [
      ...governingServiceProblems(workload, services),
      ...serviceProblems(workload, services),
      ...monitors.flatMap((monitor) => scrapeProblems(workload, services, monitor)),
    ]),
  ];
}
