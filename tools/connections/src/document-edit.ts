import { isMap, isSeq, type Document, type Node } from 'yaml';
import { entryData, type ConnectionsEdit, type EditTarget } from './connection-entry.js';

/** Marks the entry's `account` and `secrets` as flow collections, the style of the examples. */
function flowStyle(node: Node): Node {
  if (isMap(node))
    for (const key of ['account', 'secrets']) {
      const child = node.get(key, true);
      if (isMap(child) || isSeq(child)) child.flow = true;
    }
  return node;
}

/**
 * The edit through yaml's Document API, for layouts the splice leaves alone
 * (flow lists, odd indentation): comments are kept, spacing is yaml's own.
 */
export function documentEdit(
  doc: Document.Parsed,
  edit: ConnectionsEdit,
  target: EditTarget,
): string {
  const conns = doc.get('connections', true);
  if (edit.kind === 'add') {
    const node = flowStyle(doc.createNode(entryData(edit.entry)));
    if (isSeq(conns)) conns.items.push(node);
    else doc.set('connections', doc.createNode([node]));
  } else if (isSeq(conns)) {
    const secrets = doc.getIn(['connections', target.index, 'secrets'], true);
    if (edit.kind === 'remove') conns.items.splice(target.index, 1);
    else if (isSeq(secrets) && edit.kind === 'prepend-secret')
      secrets.items.unshift(doc.createNode(edit.secret));
    else if (isSeq(secrets) && edit.kind === 'remove-secret') secrets.items.splice(edit.index, 1);
  }
  return doc.toString({ lineWidth: 0 });
}
