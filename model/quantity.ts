/**
 * The string form of a Kubernetes resource.Quantity, as controller-gen writes it into every CRD for a Quantity
 * field (e.g. cloudnative-pg v1.30.0 config/crd/bases/postgresql.cnpg.io_clusters.yaml, `resources.limits`;
 * the grammar is kubernetes/apimachinery pkg/api/resource/quantity.go). tools/import/strict-schema.ts puts it
 * on built-in Quantity fields, whose OpenAPI definition has none; validation/schema.ts names it in messages.
 */
export const QUANTITY_PATTERN = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
