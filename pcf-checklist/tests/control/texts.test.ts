import { resxStrings } from "../../harness/resx";
import { TEXT_KEYS } from "../../NewsletterChecklist/components/texts";

const placeholders = (text: string): string[] => [...new Set(text.match(/\{\d\}/g) ?? [])].sort();

describe("the control's texts in both resx files", () => {
  const english = resxStrings(1033);
  const german = resxStrings(1031);

  test("both languages have exactly the same keys: the control's and the manifest's", () => {
    expect([...german.keys()].sort()).toEqual([...english.keys()].sort());
    const manifestKeys = [...english.keys()].filter((k) => /_(Display|Desc)_Key$/.test(k));
    expect([...english.keys()].sort()).toEqual([...TEXT_KEYS, ...manifestKeys].sort());
  });

  test.each([...TEXT_KEYS])("%s: filled, with the same placeholders in both", (key) => {
    expect(english.get(key)).toBeTruthy();
    expect(german.get(key)).toBeTruthy();
    expect(german.get(key)).not.toBe(english.get(key));
    expect(placeholders(german.get(key) as string)).toEqual(placeholders(english.get(key) as string));
  });
});
