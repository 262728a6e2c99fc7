// The kubeconfig context a `kubectl gadget` run uses, for the run's title: the one given, else the
// `current-context` of the kubeconfig files kubectl reads ($KUBECONFIG's list, else ~/.kube/config; the first
// file that sets it wins, as kubectl merges them). Read without kubectl, so a missing kubectl is no error here.
import * as path from 'node:path';
import { isMap, isScalar, keyText, readYaml } from '../../yaml/read';

/** Reads a file's text, undefined when it does not exist or cannot be read. */
export type ReadText = (file: string) => string | undefined;

export function kubeconfigFiles(env: NodeJS.ProcessEnv, home: string): string[] {
  const list = env.KUBECONFIG?.split(path.delimiter).filter(Boolean);
  return list?.length ? list : [path.join(home, '.kube', 'config')];
}

/** The context name, undefined when no file sets one (or none can be read). */
export function currentContext(files: readonly string[], read: ReadText): string | undefined {
  for (const f of files) {
    const text = read(f);
    if (text === undefined) continue;
    try {
      const root = readYaml(text).root;
      if (!isMap(root)) continue;
      const pair = root.items.find((p) => keyText(p) === 'current-context');
      if (pair && isScalar(pair.value) && typeof pair.value.value === 'string' && pair.value.value) return pair.value.value;
    } catch {
      // A file kubectl could not read either: the next one may still say it.
    }
  }
  return undefined;
}
