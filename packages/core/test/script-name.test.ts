import { describe, expect, it } from '@jest/globals';
import { ScriptPathError } from '../src/index.js';
import { normaliseScriptName } from '../src/workspace/script-name.js';

describe('normaliseScriptName', () => {
  it('normalises a relative name', () => {
    expect(normaliseScriptName('./jobs//add.js')).toBe('jobs/add.js');
  });
  it.each(['../x.js', 'a/../../x.js', '/abs.js', 'file:///x.js', 'C:/x.js', 'a\0b', 'a\\b', '', '.', 'dir/'])('refuses %j', (name) => {
    expect(() => normaliseScriptName(name)).toThrow(ScriptPathError);
  });
});
