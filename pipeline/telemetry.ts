import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Get-or-create for metrics, so two instances of one component type (say `otlp` and `otlp/2`) share a
 * metric and tell themselves apart by labels instead of failing on a duplicate registration.
 */
export function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Counter<L> {
  return (registry.getSingleMetric(name) as Counter<L> | undefined)
    ?? new Counter({ name, help, labelNames, registers: [registry] });
}

export function gauge<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Gauge<L> {
  return (registry.getSingleMetric(name) as Gauge<L> | undefined)
    ?? new Gauge({ name, help, labelNames, registers: [registry] });
}

export function histogram<L extends string>(
  registry: Registry, name: string, help: string, options: { labelNames: L[]; buckets: number[] },
): Histogram<L> {
  return (registry.getSingleMetric(name) as Histogram<L> | undefined)
    ?? new Histogram({ name, help, labelNames: options.labelNames, buckets: options.buckets, registers: [registry] });
}
