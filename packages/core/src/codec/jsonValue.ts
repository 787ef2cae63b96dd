// Moved to the grammar layer, which the zod schemas import too; the names stay here.
export { jsonValueIssue, type JsonValueIssue } from '../grammar/jsonValue.ts';
