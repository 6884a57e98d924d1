import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';

const schema = { fileName: 'junit-10.xsd', contents: readFileSync(path.join(import.meta.dirname, '../../schemas/junit-10.xsd'), 'utf8') };

/** libxml2's verdict on a junit.xml against the common schema kept in the repo: its errors, none when valid. */
export async function junitSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: { fileName: 'junit.xml', contents: xml }, schema });
  return result.valid ? [] : result.errors.map((error) => error.rawMessage);
}
