import { configure } from "@testing-library/react";

// jsdom does no layout: every element measures 0×0, which would make the
// virtualised list render no rows. Give scroll containers a window-sized box.
Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 900 });
Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 360 });

// `findBy…` and `waitFor` give up after 1 s by default. On a machine busy
// with builds a render can take longer than that without anything being
// wrong, so the tests wait up to 10 s (each test's own limit is 30 s).
configure({ asyncUtilTimeout: 10_000 });
