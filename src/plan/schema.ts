/**
 * The JSON Schema of an openevc inventory (YAML or JSON). The published copy is
 * schema/inventory.schema.json; a test keeps the two identical.
 */

const name = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^\\s].*$' } as const;
const evcKey = { type: 'string', pattern: '^(intel|amd)-[A-Za-z0-9-]+$', description: 'an EVC mode key such as intel-merom' } as const;
const path = { type: 'string', minLength: 1, description: 'a file path, relative to the inventory file' } as const;

export const INVENTORY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/openevc/openevc/schema/inventory.schema.json',
  title: 'openevc inventory',
  description: 'Clusters, hosts and VMs whose CPU compatibility openevc plans over time (openevc plan, diff).',
  type: 'object',
  additionalProperties: false,
  required: ['openevc', 'version', 'hosts'],
  properties: {
    openevc: { const: 'inventory', description: 'marks the document as an openevc inventory' },
    version: { const: 1 },
    description: { type: 'string' },
    clusters: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name,
          platform: { enum: ['vsphere', 'proxmox', 'nova', 'kubevirt', 'libvirt'], description: 'default vsphere' },
          evc: { anyOf: [evcKey, { type: 'null' }], description: 'vSphere: the cluster EVC mode key, or null when EVC is off' },
          graphics: { type: 'string', description: 'vSphere 7.0U1+: the EVC graphics mode (noted, not simulated)' },
          cpuModel: { type: 'string', minLength: 1, description: 'KVM family: the CPU model VMs get (host-passthrough, host-model, or a QEMU model name)' },
          vcenter: { type: 'string', description: 'vCenter version, e.g. "4.1" (rules that changed over versions use it)' },
        },
      },
    },
    hosts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name,
          cluster: { anyOf: [name, { type: 'null' }], description: 'cluster name; absent or null for a standalone host' },
          cpuid: {
            anyOf: [path, { type: 'object', description: 'an embedded openevc JSON dump' }],
            description: 'the CPUID source: any file openevc reads, or an embedded openevc JSON dump',
          },
          format: { type: 'string', description: 'the CPUID file format, when detection should be skipped' },
          maxEvc: { ...evcKey, description: "the host's maxEVCModeKey, when no CPUID is known (RVTools): low fidelity" },
          bios: { type: 'string' },
          microcode: { type: 'string' },
          hypervisor: { type: 'string', description: 'hypervisor and version, e.g. "ESXi 7.0U3"' },
          vendorModel: { type: 'string', description: 'server vendor and model (noted)' },
        },
        anyOf: [{ required: ['cpuid'] }, { required: ['maxEvc'] }],
      },
    },
    vms: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'host'],
        properties: {
          name,
          host: name,
          power: { enum: ['on', 'off', 'suspended', 'poweredOn', 'poweredOff'], description: 'default on' },
          hardware: { anyOf: [{ type: 'integer', minimum: 3, maximum: 99 }, { type: 'string', pattern: '^vmx-[0-9]+$' }], description: 'virtual hardware version (14 or vmx-14)' },
          evc: { ...evcKey, description: 'per-VM EVC mode (hardware version 14 or later)' },
          vmx: { ...path, description: "the VM's .vmx: its cpuid.* masks and featMask lines" },
          masks: {
            type: 'object',
            description: '.vmx CPU lines given inline: "cpuid.1.ecx": "----...", "featMask.vm.cpuid.AVX": "Val:0"',
            additionalProperties: { type: 'string' },
            propertyNames: { pattern: '^(cpuid|featMask)\\.' },
          },
          poweredOnAt: { ...name, description: 'the host the VM was powered on at, when it has moved since (default: host)' },
          seen: {
            type: 'object',
            additionalProperties: false,
            description: 'what the VM was shown at power-on, when captured',
            properties: {
              log: { ...path, description: 'a vmware.log with guestCPUID lines' },
              evcModeKey: { ...evcKey, description: "the VM's minRequiredEVCModeKey (low fidelity)" },
              features: { type: 'array', items: { type: 'string' }, description: 'feature ids or names' },
            },
          },
          guestOs: { type: 'string', description: 'guest OS, e.g. rhel9, windows2025 (for the risk report)' },
        },
      },
    },
  },
} as const;
