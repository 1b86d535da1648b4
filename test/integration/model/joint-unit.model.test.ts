import { describeModel } from '../../support/model/driver.js';
import { jointUnitModel } from '../../support/model/joint-unit.model.js';

describeModel(jointUnitModel);
