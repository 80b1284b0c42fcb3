import type { ComponentKind, Factory } from '../component.ts';

export function findFactory(factories: readonly Factory[], kind: ComponentKind, type: string): Factory | undefined {
  return factories.find((f) => f.kind === kind && f.type === type);
}

export function knownTypes(factories: readonly Factory[], kind: ComponentKind): string[] {
  return factories.filter((f) => f.kind === kind).map((f) => f.type).sort();
}
