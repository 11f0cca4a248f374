import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';

@Injectable()
class Dep {
  value = 42;
}
@Injectable()
class UsesDep {
  constructor(readonly dep: Dep) {}
}

it('compiles decorator metadata so Nest injects by constructor type', async () => {
  const mod = await Test.createTestingModule({ providers: [Dep, UsesDep] }).compile();
  expect(mod.get(UsesDep).dep.value).toBe(42);
  expect(process.versions.node.split('.')[0]).toBe('24');
});
